// The `expert-gen dataset` commands as a user runs them: offline create on the corpus sample, stats,
// validate, split, and every kind of bad input ending in one line on stderr, exit 1 and no file. (~20 s: each case starts a CLI process)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const CLI = path.resolve('src/cli/expert-gen.js');
const FIXTURE = path.resolve('tests/fixtures/datasets-corpus');
let dir: string;

beforeAll(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'dataset-cli-'));
});
afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string | undefined> = {}) {
	const result = spawnSync(process.execPath, [CLI, 'dataset', ...args], {
		encoding: 'utf8',
		env: {
			...process.env,
			OPENAI_API_KEY: undefined,
			DEEPSEEK_API_KEY: undefined,
			ANTHROPIC_API_KEY: undefined,
			...env
		}
	});
	return { code: result.status, stdout: result.stdout, stderr: result.stderr.replace(/^npm warn.*\n/gm, '') };
}

describe('expert-gen dataset', () => {
	it('creates offline, then stats, validate and split work on the file', async () => {
		const output = path.join(dir, 'json.jsonl');
		const created = cli([
			...['create', '--domain', 'json-parsing', '--count', '50', '--provider', 'offline', '--format', 'chat'],
			...['--seed', '3', '--corpora', FIXTURE, '--output', output, '--json']
		]);
		expect(created.stderr).toBe('');
		expect(JSON.parse(created.stdout)).toMatchObject({ written: 50, existing: 0, provider: 'offline' });
		const again = cli([
			...['create', '--domain', 'json-parsing', '--count', '50', '--provider', 'offline', '--format', 'chat'],
			...['--seed', '3', '--corpora', FIXTURE, '--output', output, '--json']
		]);
		expect(JSON.parse(again.stdout)).toMatchObject({ written: 0, existing: 50 });

		const stats = JSON.parse(cli(['stats', output, '--json']).stdout);
		expect(stats).toMatchObject({ records: 50, uniqueIds: 50, format: 'chat', byDomain: { 'json-parsing': 50 } });
		expect(cli(['validate', output]).stdout).toContain('50 records, all valid');

		const split = cli(['split', output, '--eval', '0.2', '--json']);
		const parts = JSON.parse(split.stdout);
		expect(parts.train.records + parts.eval.records).toBe(50);
		expect((await readFile(parts.eval.file, 'utf8')).trim().split('\n')).toHaveLength(parts.eval.records);

		const lines = (await readFile(output, 'utf8')).trim().split('\n');
		const broken = path.join(dir, 'broken.jsonl');
		await writeFile(
			broken,
			[lines[0], lines[0], lines[1].replace(/"content":"/, '"content":"edited '), '{oops'].join('\n') + '\n'
		);
		const invalid = cli(['validate', broken]);
		expect(invalid.code).toBe(1);
		expect(invalid.stdout).toMatch(/broken\.jsonl:2: duplicate record/);
		expect(invalid.stdout).toMatch(/broken\.jsonl:3: id .* does not match its content/);
		expect(invalid.stdout).toMatch(/broken\.jsonl:4: not JSON/);
		expect(invalid.stderr).toBe('expert-gen: ' + broken + ': 3 problems in 4 records\n');
	});

	it.each([
		// Exit 2: a usage mistake; 1: the request failed.
		[['--domain', 'cooking'], 'unknown domain "cooking"', 2],
		[['--provider', 'llama'], 'unknown provider "llama"', 2],
		[['--format', 'xml'], 'unknown format "xml"', 2],
		[['--count', '0'], '--count must be an integer >= 1 (got 0)', 2],
		[['--provider', 'deepseek'], 'provider "deepseek" needs an API key in DEEPSEEK_API_KEY', 1],
		[['--provider', 'claude'], 'provider "claude" needs an API key in ANTHROPIC_API_KEY', 1],
		[
			['--output', '/nonexistent-folder/x.jsonl'],
			'cannot write /nonexistent-folder/x.jsonl: folder /nonexistent-folder does not exist or is not writable',
			1
		],
		[['--corpora', '/nonexistent-corpora'], 'corpora folder not found at /nonexistent-corpora', 1]
	])('bad input %j (%s): one line, exit %i, nothing written', async (override, message, status) => {
		const out = path.join(dir, 'bad', 'out.jsonl');
		await rm(path.dirname(out), { recursive: true, force: true });
		await mkdir(path.dirname(out));
		const base: Record<string, string> = {
			'--domain': 'english-language',
			'--count': '10',
			'--provider': 'offline',
			'--format': 'instruction',
			'--output': out,
			'--corpora': FIXTURE
		};
		for (let i = 0; i < override.length; i += 2) base[override[i]] = override[i + 1];
		const { code, stderr } = cli(['create', ...Object.entries(base).flat()]);
		expect(code).toBe(status);
		expect(stderr.trim().split('\n')).toHaveLength(1);
		expect(stderr).toContain(message);
		expect(await readdir(path.dirname(out))).toEqual([]);
	});

	it('reads a free-text --task offline: the generator tasks it names, or all of them with a note', async () => {
		const out = path.join(await mkdtemp(path.join(dir, 'task-')), 'json.jsonl');
		const described = cli([
			...['create', '--domain', 'json-parsing', '--count', '20', '--provider', 'offline'],
			...['--corpora', FIXTURE, '--output', out],
			...['--task', 'parse, validate, and extract fields from JSON documents'],
			...['--json']
		]);
		expect(described.code, described.stderr).toBe(0);
		expect(described.stderr).toBe(
			'note: --task "parse, validate, and extract fields from JSON documents": generating the offline json-parsing tasks validate, extract\n'
		);
		const tasks = new Set(
			(await readFile(out, 'utf8'))
				.trim()
				.split('\n')
				.map((line) => (JSON.parse(line) as { task: string }).task)
		);
		expect([...tasks].sort()).toEqual(['extract', 'validate']);
		const poetry = cli([
			...['create', '--domain', 'english-language', '--count', '5', '--provider', 'offline'],
			...['--corpora', FIXTURE, '--output', `${out}.2`, '--task', 'poetry']
		]);
		expect(poetry.code, poetry.stderr).toBe(0);
		expect(poetry.stderr).toMatch(
			/^note: --task "poetry" names none of the offline english-language tasks \(.+\): generating all of them\n$/
		);
	});
});
