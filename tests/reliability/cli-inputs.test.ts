// Bad files, paths and outputs given to the CLI as a user gives them:
// `expert classify` reports every path it does not classify, with the reason, and keeps going (binary,
// empty, missing, dangling, loops, FIFOs, devices, folder links, broken packages), prints names escaped;
// `expert-gen dataset create` never touches an --output that is not a dataset, and writes through links.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runExpert } from '../fixtures/expert-cli.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const SAMPLES = path.join(REPO, 'datasets/samples');
const FIXTURE = path.join(REPO, 'tests/fixtures/datasets-corpus');
const GEN = path.join(REPO, 'src/cli/expert-gen.js');
const work = mkdtempSync(path.join(tmpdir(), 'cli-inputs-'));
const dir = work;
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Row {
	path: string;
	language: string;
	experts: string[];
}

function cli(args: string[]) {
	const result = spawnSync(process.execPath, [GEN, 'dataset', ...args], {
		encoding: 'utf8',
		env: { ...process.env, OPENAI_API_KEY: undefined, DEEPSEEK_API_KEY: undefined, ANTHROPIC_API_KEY: undefined }
	});
	return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const asRoot = process.getuid?.() === 0;
if (asRoot)
	console.warn(
		'cli-inputs: running as root, which reads any folder, so the unreadable-folder case (item 6) is skipped'
	);

describe('expert classify on bad paths and files', () => {
	it.skipIf(asRoot)('reports an unreadable subfolder and classifies the rest (item 6)', async () => {
		const folder = path.join(work, 'locked-tree');
		mkdirSync(path.join(folder, 'locked'), { recursive: true });
		copyFileSync(path.join(SAMPLES, 'fib.pl'), path.join(folder, 'fib.pl'));
		execFileSync('chmod', ['000', path.join(folder, 'locked')]);
		try {
			const result = await runExpert(['classify', folder, '--json', '--threads', '1']);
			expect(result.code, result.stderr).toBe(0);
			const { files, skipped } = JSON.parse(result.stdout) as {
				files: Row[];
				skipped: Array<{ path: string; problem: string }>;
			};
			expect(files.map((row) => path.basename(row.path))).toEqual(['fib.pl']);
			expect(skipped).toEqual([{ path: path.join(folder, 'locked'), problem: 'unreadable folder (EACCES)' }]);
		} finally {
			execFileSync('chmod', ['755', path.join(folder, 'locked')]);
		}
	});

	it('reports binary and empty files without stopping, and prints CSV with --experts none', async () => {
		writeFileSync(path.join(work, 'blob.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]));
		writeFileSync(path.join(work, 'empty.txt'), '');
		writeFileSync(path.join(work, 'hello.py'), 'import sys\n\ndef main():\n    print("hello")\n');
		const csv = await runExpert(['classify', work, '--csv', '--experts', 'none', '--threads', '1']);
		expect(csv.code, csv.stderr).toBe(0);
		const lines = csv.stdout.trimEnd().split('\n');
		expect(lines[0]).toBe(
			'file,type,language,technologies,language evidence,type evidence,technology evidence,experts'
		);
		expect(lines).toHaveLength(2);
		expect(lines[1]).toMatch(/hello\.py,source-code,Python,,extension \.py: Python,Python is source-code,,$/);
		// CSV has no place for them, so skipped files are reported on stderr, one line each.
		expect(csv.stderr).toContain(`skipped ${path.join(work, 'blob.bin')}: binary file`);
		expect(csv.stderr).toContain(`skipped ${path.join(work, 'empty.txt')}: empty file`);
		const json = JSON.parse(
			(await runExpert(['classify', work, '--json', '--experts', 'none', '--threads', '1'])).stdout
		);
		expect(json.skipped).toEqual([
			{ path: path.join(work, 'blob.bin'), problem: 'binary file' },
			{ path: path.join(work, 'empty.txt'), problem: 'empty file' }
		]);
		expect(json.files[0].experts).toEqual([]);
		const nothing = await runExpert(['classify', path.join(work, 'empty.txt'), '--experts', 'none', '--threads', '1']);
		expect(nothing.stdout.trimEnd().split('\n').at(-1)).toMatch(/^0 files classified, 1 skipped in [\d.]+ s$/);
		const one = await runExpert(['classify', path.join(work, 'hello.py'), '--experts', 'none', '--threads', '1']);
		expect(one.stdout).toMatch(/\n1 file classified, 0 skipped in [\d.]+ s \(median [\d.]+ ms per file\)\n/);
	});

	it('reports every path it cannot classify and keeps going: missing, dangling, FIFO, folder link; names print escaped', async () => {
		const folder = path.join(work, 'odd');
		mkdirSync(path.join(folder, 'sub'), { recursive: true });
		copyFileSync(path.join(SAMPLES, 'fib.pl'), path.join(folder, 'fib.pl'));
		writeFileSync(path.join(folder, 'a\u001b[2Jb.txt'), 'plain words\n');
		symlinkSync('/nonexistent-target', path.join(folder, 'dangling'));
		symlinkSync(path.join(SAMPLES, 'Field.h'), path.join(folder, 'linked.h'));
		symlinkSync(SAMPLES, path.join(folder, 'sub', 'samples-link'));
		execFileSync('mkfifo', [path.join(folder, 'fifo')]);
		const missing = path.join(work, 'nope.txt');
		const loop = path.join(work, 'loop');
		symlinkSync(loop, loop);
		const json = await runExpert(['classify', folder, missing, loop, '/dev/zero', '--json', '--threads', '1']);
		expect(json.code, json.stderr).toBe(0);
		const { files, skipped } = JSON.parse(json.stdout) as {
			files: Row[];
			skipped: Array<{ path: string; problem: string }>;
		};
		expect(files.map((row) => path.basename(row.path)).sort()).toEqual(['a\u001b[2Jb.txt', 'fib.pl', 'linked.h']);
		expect(skipped).toEqual([
			{ path: path.join(folder, 'dangling'), problem: 'dangling symbolic link' },
			{ path: path.join(folder, 'fifo'), problem: 'not a regular file (device, FIFO or socket)' },
			{ path: path.join(folder, 'sub', 'samples-link'), problem: 'symbolic link to a folder, not followed' },
			{ path: missing, problem: 'no such file or folder' },
			{ path: loop, problem: 'symbolic link loop' },
			{ path: '/dev/zero', problem: 'not a regular file (device, FIFO or socket)' }
		]);
		const table = await runExpert(['classify', folder, '--threads', '1']);
		expect(table.stdout).not.toContain('\u001b');
		expect(table.stdout).toContain('a\\x1b[2Jb.txt');
	});

	it('leaves out an expert package whose manifest does not parse, with a warning, and reads packages linked in', async () => {
		const experts = path.join(work, 'experts-mixed');
		mkdirSync(path.join(experts, 'broken-v1'), { recursive: true });
		writeFileSync(path.join(experts, 'broken-v1', 'manifest.json'), '{"name": ');
		for (const entry of readdirSync(path.join(REPO, 'experts')))
			symlinkSync(path.join(REPO, 'experts', entry), path.join(experts, entry));
		const result = await runExpert([
			'classify',
			path.join(SAMPLES, 'fib.pl'),
			'--experts-dir',
			experts,
			'--json',
			'--threads',
			'1'
		]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toMatch(
			new RegExp(`^warning: expert package ${path.join(experts, 'broken-v1')} left out: .*manifest\\.json: `, 'm')
		);
		const { files } = JSON.parse(result.stdout) as { files: Row[] };
		expect(files[0]).toMatchObject({ language: 'Perl' });
		expect(files[0].experts.some((id) => id.startsWith('document-classifier@'))).toBe(true);
	});
});

describe('expert-gen dataset create on an --output it must not destroy', () => {
	it('writes through an --output that is a symbolic link, and refuses a dangling one', async () => {
		const folder = await mkdtemp(path.join(dir, 'link-'));
		await mkdir(path.join(folder, 'real'));
		const target = path.join(folder, 'real', 'target.jsonl');
		const create = (output: string, count: string) =>
			cli([
				...['create', '--domain', 'json-parsing', '--count', count, '--provider', 'offline'],
				...['--corpora', FIXTURE, '--output', output, '--json']
			]);
		expect(create(target, '5').code).toBe(0);
		await symlink(target, path.join(folder, 'link.jsonl'));
		expect(JSON.parse(create(path.join(folder, 'link.jsonl'), '8').stdout)).toMatchObject({ existing: 5, written: 3 });
		expect((await lstat(path.join(folder, 'link.jsonl'))).isSymbolicLink()).toBe(true);
		expect((await readFile(target, 'utf8')).trim().split('\n')).toHaveLength(8);
		await symlink(path.join(folder, 'nowhere.jsonl'), path.join(folder, 'dangling.jsonl'));
		const dangling = create(path.join(folder, 'dangling.jsonl'), '5');
		expect(dangling.code).toBe(1);
		expect(dangling.stderr.trim()).toBe(
			`expert-gen: cannot write ${path.join(folder, 'dangling.jsonl')}: it is a symbolic link to a file that does not exist`
		);
		expect((await readdir(folder)).sort()).toEqual(['dangling.jsonl', 'link.jsonl', 'real']);
	});

	it.each([
		['one line of text, no newline', 'IMPORTANT', 'line 1 is not JSON'],
		['minified JSON, no newline', '{"keep":"me","n":[1,2,3]}', 'line 1 is not a dataset record (no "id" and "domain")'],
		[
			'JSON lines without a domain',
			'{"id":"a"}\n{"id":"b"}\n',
			'line 1 is not a dataset record (no "id" and "domain")'
		],
		['binary bytes', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x10]), 'line 1 is not JSON']
	])(
		'an existing --output that is not a dataset (%s) is refused and left as it was',
		async (_what, content, message) => {
			const folder = await mkdtemp(path.join(dir, 'keep-'));
			const out = path.join(folder, 'F');
			await writeFile(out, content);
			const { code, stderr } = cli([
				...['create', '--domain', 'json-parsing', '--count', '5', '--provider', 'offline'],
				...['--corpora', FIXTURE, '--output', out]
			]);
			expect(code).toBe(1);
			expect(stderr.trim().split('\n')).toHaveLength(1);
			expect(stderr).toContain(`${out} ${message}, so it is not a dataset file; refusing to touch it`);
			expect(await readFile(out)).toEqual(Buffer.from(content));
			expect(await readdir(folder)).toEqual(['F']);
		}
	);
});
