// Loads web-tree-sitter and the Python and Rust grammar wasm files from node_modules (Node only).
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';
import { CodeFactExtractor } from './code-facts.ts';

const require = createRequire(import.meta.url);

export async function loadCodeFactExtractor(): Promise<CodeFactExtractor> {
	await Parser.init();
	const [python, rust] = await Promise.all([
		Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm')),
		Language.load(require.resolve('tree-sitter-rust/tree-sitter-rust.wasm'))
	]);
	return new CodeFactExtractor(new Parser(), { python, rust });
}
