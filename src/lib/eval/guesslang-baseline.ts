// VS Code's language detection (guesslang's model on TensorFlow.js, @vscode/vscode-languagedetection, shipped
// with its weights) as an eval anchor: its top answer per text mapped to Linguist names, which of its 54
// languages a label is, and the time it took. Reads the first 10,000 characters, as VS Code does.
import { createRequire } from 'node:module';

/** guesslang's language ids → GitHub Linguist names (its 54 languages). */
export const GUESSLANG_LANGUAGES: Readonly<Record<string, string>> = {
	asm: 'Assembly',
	bat: 'Batchfile',
	c: 'C',
	cbl: 'COBOL',
	clj: 'Clojure',
	cmake: 'CMake',
	coffee: 'CoffeeScript',
	cpp: 'C++',
	cs: 'C#',
	css: 'CSS',
	csv: 'CSV',
	dart: 'Dart',
	dm: 'DM',
	dockerfile: 'Dockerfile',
	erl: 'Erlang',
	ex: 'Elixir',
	f90: 'Fortran',
	go: 'Go',
	groovy: 'Groovy',
	hs: 'Haskell',
	html: 'HTML',
	ini: 'INI',
	java: 'Java',
	jl: 'Julia',
	js: 'JavaScript',
	json: 'JSON',
	kt: 'Kotlin',
	lisp: 'Common Lisp',
	lua: 'Lua',
	makefile: 'Makefile',
	matlab: 'MATLAB',
	md: 'Markdown',
	ml: 'OCaml',
	mm: 'Objective-C',
	pas: 'Pascal',
	php: 'PHP',
	pm: 'Perl',
	prolog: 'Prolog',
	ps1: 'PowerShell',
	py: 'Python',
	r: 'R',
	rb: 'Ruby',
	rs: 'Rust',
	scala: 'Scala',
	sh: 'Shell',
	sql: 'SQL',
	swift: 'Swift',
	tex: 'TeX',
	toml: 'TOML',
	ts: 'TypeScript',
	v: 'Verilog',
	vba: 'Visual Basic 6.0',
	xml: 'XML',
	yaml: 'YAML'
};

const COVERED = new Set(Object.values(GUESSLANG_LANGUAGES));

/** Whether guesslang can name `language` at all. */
export function guesslangCovers(language: string): boolean {
	return COVERED.has(language);
}

const READ_CHARS = 10_000;

interface ModelResult {
	languageId: string;
	confidence: number;
}

/** guesslang's top language (Linguist name, "none" when it answers nothing) for each text, and the milliseconds taken. */
export async function guesslangLanguages(
	texts: ReadonlyMap<string, string>
): Promise<{ languages: Map<string, string>; milliseconds: number }> {
	const require = createRequire(import.meta.url);
	const { ModelOperations } = require('@vscode/vscode-languagedetection') as {
		ModelOperations: new () => { runModel(text: string): Promise<ModelResult[]> };
	};
	const model = new ModelOperations();
	await model.runModel('warm up the model: print("hello")\n'.repeat(4));
	const languages = new Map<string, string>();
	const started = performance.now();
	for (const [key, text] of texts) {
		const results = await model.runModel(text.slice(0, READ_CHARS));
		const top = results[0];
		languages.set(key, top ? (GUESSLANG_LANGUAGES[top.languageId] ?? top.languageId) : 'none');
	}
	return { languages, milliseconds: performance.now() - started };
}
