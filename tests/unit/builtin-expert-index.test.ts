// The built-in experts index (builtin-experts/index.json in the app build): parsing with one-line errors for
// malformed input (expert sets included), and the URLs the service worker precaches. Runs in a few ms.
import { describe, expect, it } from 'vitest';
import { builtinFileUrls, parseBuiltinIndex } from '../../src/lib/worker/builtin-expert-index.ts';

const INDEX = {
	packages: [
		{ folder: 'english-basic-v1', files: ['manifest.json', 'adapter_model.safetensors'], bytes: 4096 },
		{ folder: 'rust-code-v1', files: ['manifest.json'], bytes: 300 }
	]
};

describe('built-in experts index', () => {
	it('parses a valid index and lists every file under the app URL', () => {
		const index = parseBuiltinIndex(JSON.stringify(INDEX), 'index.json');
		expect(index.sets).toEqual([]);
		expect(builtinFileUrls(index, 'https://example.test/app/')).toEqual([
			'https://example.test/app/builtin-experts/index.json',
			'https://example.test/app/builtin-experts/english-basic-v1/manifest.json',
			'https://example.test/app/builtin-experts/english-basic-v1/adapter_model.safetensors',
			'https://example.test/app/builtin-experts/rust-code-v1/manifest.json'
		]);
	});

	it('carries the shipped expert sets', () => {
		const set = {
			format: 'expert-set/1',
			name: 'auto',
			description: '',
			experts: [{ name: 'english-basic', version: '1.0.0', weight: 0.5 }],
			routed: []
		};
		expect(parseBuiltinIndex(JSON.stringify({ ...INDEX, sets: [set] }), 'index.json').sets).toEqual([set]);
	});

	it.each([
		['not json', 'index.json: not JSON'],
		['{"packages": {}}', 'index.json: must be'],
		['{"packages": [{"folder": "../up", "files": []}]}', 'index.json: must be'],
		['{"packages": [{"folder": "a-v1", "files": ["../secret.json"], "bytes": 1}]}', 'index.json: must be'],
		['{"packages": [{"folder": "a-v1", "files": ["manifest.json"]}]}', 'index.json: must be'],
		['{"packages": [{"folder": "a-v1", "files": ["manifest.json"], "bytes": -1}]}', 'index.json: must be'],
		[
			'{"packages": [], "sets": [{"format": "expert-set/1", "name": "Auto", "experts": []}]}',
			'index.json: sets: 0.name: must be lower-case'
		]
	])('rejects %s with a one-line error', (text, message) => {
		expect(() => parseBuiltinIndex(text, 'index.json')).toThrow(message);
	});
});
