// Facts about Python and Rust source files from a real parser (web-tree-sitter with the grammars'
// wasm builds): imported modules or crates, functions with their signatures, and type names.
import type { Language, Node, Parser } from 'web-tree-sitter';

export type CodeLanguage = 'python' | 'rust';

export interface FunctionFact {
	name: string;
	/** The definition up to (not including) the body, on one line. */
	signature: string;
	parameters: string[];
	returnType: string | null;
	startLine: number;
	endLine: number;
}

export interface CodeFacts {
	/** Imported module (Python) or crate (Rust) names with the 0-based line of their statement. */
	imports: Array<{ name: string; line: number }>;
	functions: FunctionFact[];
	types: Array<{ name: string; kind: string; startLine: number; endLine: number }>;
	lines: string[];
}

/** A parser per language, given the loaded tree-sitter languages (loading is the caller's job). */
export class CodeFactExtractor {
	constructor(
		private readonly parser: Parser,
		private readonly languages: Record<CodeLanguage, Language>
	) {}

	extract(language: CodeLanguage, source: string): CodeFacts {
		this.parser.setLanguage(this.languages[language]);
		const tree = this.parser.parse(source);
		if (!tree) throw new Error('tree-sitter returned no tree');
		const facts: CodeFacts = { imports: [], functions: [], types: [], lines: source.split('\n') };
		const visit = (node: Node) => {
			if (language === 'python') collectPython(node, facts);
			else collectRust(node, facts);
			for (const child of node.namedChildren) if (child) visit(child);
		};
		visit(tree.rootNode);
		tree.delete();
		return facts;
	}
}

function signatureOf(node: Node): string {
	const body = node.childForFieldName('body');
	const text = body ? node.text.slice(0, body.startIndex - node.startIndex) : node.text;
	return text
		.replace(/\s+/g, ' ')
		.replace(/\s*[:{;]?\s*$/, '')
		.trim();
}

function functionFact(node: Node): FunctionFact | null {
	const name = node.childForFieldName('name')?.text;
	const params = node.childForFieldName('parameters');
	if (!name || !params) return null;
	return {
		name,
		signature: signatureOf(node),
		parameters: params.namedChildren
			.filter((c): c is Node => c !== null && c.type !== 'comment')
			.map((c) => c.text.replace(/\s+/g, ' ')),
		returnType: node.childForFieldName('return_type')?.text.replace(/\s+/g, ' ') ?? null,
		startLine: node.startPosition.row,
		endLine: node.endPosition.row
	};
}

function collectPython(node: Node, facts: CodeFacts): void {
	if (node.type === 'import_statement') {
		for (const child of node.namedChildren) {
			const dotted = child?.type === 'aliased_import' ? child.childForFieldName('name') : child;
			if (dotted?.type === 'dotted_name') facts.imports.push({ name: dotted.text, line: node.startPosition.row });
		}
	} else if (node.type === 'import_from_statement') {
		const module = node.childForFieldName('module_name');
		if (module) facts.imports.push({ name: module.text, line: node.startPosition.row });
	} else if (node.type === 'function_definition') {
		const fact = functionFact(node);
		if (fact) facts.functions.push(fact);
	} else if (node.type === 'class_definition') {
		const name = node.childForFieldName('name')?.text;
		if (name)
			facts.types.push({ name, kind: 'class', startLine: node.startPosition.row, endLine: node.endPosition.row });
	}
}

const RUST_TYPE_KINDS: Record<string, string> = {
	struct_item: 'struct',
	enum_item: 'enum',
	trait_item: 'trait',
	type_item: 'type alias',
	union_item: 'union'
};

function rootCrate(node: Node): string | null {
	let current: Node | null = node;
	while (current) {
		if (
			current.type === 'identifier' ||
			current.type === 'crate' ||
			current.type === 'self' ||
			current.type === 'super'
		)
			return current.text;
		current =
			current.childForFieldName('path') ?? current.childForFieldName('argument') ?? current.namedChildren[0] ?? null;
	}
	return null;
}

function collectRust(node: Node, facts: CodeFacts): void {
	if (node.type === 'use_declaration') {
		const argument = node.childForFieldName('argument');
		const crate = argument ? rootCrate(argument) : null;
		if (crate) facts.imports.push({ name: crate, line: node.startPosition.row });
	} else if (node.type === 'extern_crate_declaration') {
		const name = node.childForFieldName('name')?.text;
		if (name) facts.imports.push({ name, line: node.startPosition.row });
	} else if (node.type === 'function_item' || node.type === 'function_signature_item') {
		const fact = functionFact(node);
		if (fact) facts.functions.push(fact);
	} else if (node.type in RUST_TYPE_KINDS) {
		const name = node.childForFieldName('name')?.text;
		if (name)
			facts.types.push({
				name,
				kind: RUST_TYPE_KINDS[node.type],
				startLine: node.startPosition.row,
				endLine: node.endPosition.row
			});
	}
}
