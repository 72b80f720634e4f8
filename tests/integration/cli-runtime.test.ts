// The `expert logits` and `expert generate` commands as users run them (node src/cli/expert.js): stable
// --json output matching the library, loading over HTTP, schema-constrained generation, one-line errors. About 9 s.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cypherSyntaxErrors } from '../../src/lib/datasets/cypher-syntax.ts';
import { loadExperts, loadBaseModel } from '../../src/lib/runtime/load-fs.ts';
import { topTokens } from '../../src/lib/runtime/sampling.ts';
import { startStaticServer } from '../../src/lib/bench/static-server.ts';
import { writeRandomAdapter, writeTinyModel } from '../fixtures/tiny-model.ts';

const CLI = path.resolve(import.meta.dirname, '../../src/cli/expert.js');
const execFileAsync = promisify(execFile);
let root: string;

function expert(...args: string[]) {
	return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
}

beforeAll(async () => {
	root = await mkdtemp(path.join(os.tmpdir(), 'cli-runtime-'));
	const { config } = await writeTinyModel(path.join(root, 'model'), { seed: 5 });
	await writeRandomAdapter(path.join(root, 'experts', 'styler-v1'), config, {
		r: 8,
		targetModules: ['q_proj', 'v_proj', 'up_proj'],
		seed: 2,
		name: 'styler',
		version: '1.2.0'
	});
});
afterAll(async () => {
	if (root) await rm(root, { recursive: true, force: true });
});

describe('expert logits', () => {
	it('prints the top-20 ids and logits of the last position, equal to the library', async () => {
		const result = expert(
			...['logits', '--model', path.join(root, 'model'), '--experts', 'styler:0.5'],
			...['--experts-dir', path.join(root, 'experts'), '--text', 'Hello world', '--json']
		);
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		const output = JSON.parse(result.stdout);
		expect(output.experts).toEqual(['styler@1.2.0:0.5']);
		expect(output.top).toHaveLength(20);
		const { runtime, tokenizer } = await loadBaseModel(path.join(root, 'model'), { precision: 'fp32', threads: 1 });
		await runtime.activate(await loadExperts(runtime, [{ ref: 'styler', weight: 0.5 }], path.join(root, 'experts')));
		const ids = tokenizer.encode('Hello world');
		expect(output.input_ids).toEqual(ids);
		const { logits } = await runtime.forward(ids, runtime.emptyCache());
		const expected = topTokens(logits.subarray(logits.length - runtime.config.vocabSize), 20);
		expect(output.top.map((t: { id: number }) => t.id)).toEqual(expected.map((t) => t.id));
		output.top.forEach((t: { logit: number }, i: number) => expect(t.logit).toBeCloseTo(expected[i].logit, 5));
	});

	it('loads the same model over HTTP when --model is a URL', async () => {
		const server = await startStaticServer({}, { '/models/': root });
		try {
			// Asynchronous: the server runs in this process, so a synchronous spawn would block it.
			const overHttp = await execFileAsync(
				process.execPath,
				[CLI, 'logits', '--model', `${server.origin}/models/model`, '--text', 'Hello world', '--json'],
				{ encoding: 'utf8' }
			);
			const fromDisk = expert('logits', '--model', path.join(root, 'model'), '--text', 'Hello world', '--json');
			expect(overHttp.stderr).toBe('');
			expect(JSON.parse(overHttp.stdout).top).toEqual(JSON.parse(fromDisk.stdout).top);
		} finally {
			await server.close();
		}
	});

	it('fails with one line and exit 1 on an unknown expert', () => {
		const result = expert(
			...['logits', '--model', path.join(root, 'model'), '--experts', 'nope'],
			...['--experts-dir', path.join(root, 'experts'), '--text', 'x']
		);
		expect(result.status).toBe(1);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stderr).toMatch(/^expert: expert nope: no folder nope and no .*experts\/nope-v<major>/);
		expect(result.stdout).toBe('');
	});
});

describe('expert generate', () => {
	it('generates schema-valid JSON with --json-schema', async () => {
		const schemaFile = path.join(root, 'schema.json');
		await writeFile(
			schemaFile,
			JSON.stringify({
				type: 'object',
				properties: {
					type: { enum: ['config', 'data', 'other'] },
					technologies: { type: 'array', items: { enum: ['docker', 'flask'] } }
				}
			})
		);
		const result = expert(
			...['generate', '--model', path.join(root, 'model'), '--prompt', 'classify this'],
			...['--json-schema', schemaFile, '--temperature', '0.8', '--seed', '3', '--max-tokens', '60'],
			...['--json']
		);
		expect(result.stderr).toBe('');
		const output = JSON.parse(result.stdout);
		expect(output.finish_reason).toBe('constraint');
		const value = JSON.parse(output.text);
		expect(['config', 'data', 'other']).toContain(value.type);
		expect(Array.isArray(value.technologies)).toBe(true);
	});

	it('decodes valid JSON by construction for json-parser, which declares output json; --format text lifts it', () => {
		for (const seed of ['0', '1', '2', '3']) {
			const result = expert(
				...['generate', '--experts', 'json-parser', '--prompt', 'Fix this JSON: {"a": 1, "b": [1, 2,}'],
				...['--temperature', '0.9', '--seed', seed, '--max-tokens', '200', '--json']
			);
			expect(result.status, result.stderr).toBe(0);
			const output = JSON.parse(result.stdout) as { text: string; finish_reason: string };
			expect(output.finish_reason, output.text).toBe('constraint');
			expect(() => JSON.parse(output.text), output.text).not.toThrow();
		}
		const free = expert(
			...['generate', '--experts', 'json-parser', '--format', 'text'],
			...['--prompt', 'Fix this JSON: {"a": 1, "b": [1, 2,}', '--max-tokens', '12'],
			...['--json']
		);
		expect(JSON.parse(free.stdout).finish_reason).not.toBe('constraint');
	});

	it('runs the embedded base with the shipped experts by default; a named expert brings its dependencies; --experts none is no expert', () => {
		const withCypher = expert(
			'generate',
			'--prompt',
			'MATCH',
			'--experts',
			'neo4j-cypher:0.5',
			'--max-tokens',
			'12',
			'--json'
		);
		expect(withCypher.status, withCypher.stderr).toBe(0);
		const answer = JSON.parse(withCypher.stdout);
		expect(answer.experts).toEqual(['english-basic@1.0.0:1', 'neo4j-cypher@1.0.0:0.5']);
		expect(answer.constraint).toBe('cypher'); // its manifest declares cypher output
		expect(cypherSyntaxErrors(answer.text), answer.text).toEqual([]);
		const tooFew = expert('generate', '--prompt', 'MATCH', '--experts', 'neo4j-cypher', '--max-tokens', '2');
		expect(tooFew.status).toBe(2); // a usage mistake
		expect(tooFew.stderr.trim()).toBe(
			'expert: max tokens 2 is too few for the shortest valid cypher output (7 tokens)'
		);
		const bare = expert('logits', '--text', 'MATCH', '--experts', 'none', '--json');
		expect(bare.status, bare.stderr).toBe(0);
		expect(JSON.parse(bare.stdout)).toMatchObject({
			model: path.resolve(import.meta.dirname, '../../static/models/expert-base-tiny'),
			experts: []
		});
	});
});
