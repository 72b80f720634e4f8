// `expert classify` streams rows as files finish, so Ctrl-C loses nothing already classified: a run over a
// large folder gets SIGINT after its first rows, and every row printed before it stops is complete JSON, the
// summary comes last, counts exactly those rows and says interrupted, and the exit code is 130. About 15 s.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');
const SAMPLES = path.join(REPO, 'datasets/samples');
const work = mkdtempSync(path.join(tmpdir(), 'classify-interrupt-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('expert classify under Ctrl-C', () => {
	it('keeps every finished row, then prints the summary and exits 130', async () => {
		const samples = readdirSync(SAMPLES).filter((name) => statSync(path.join(SAMPLES, name)).isFile());
		for (let copy = 0; copy < 400; copy++) {
			const folder = path.join(work, `copy-${String(copy).padStart(3, '0')}`);
			mkdirSync(folder);
			for (const name of samples) copyFileSync(path.join(SAMPLES, name), path.join(folder, name));
		}
		const total = 400 * samples.length;
		const child = spawn(
			process.execPath,
			[path.join(REPO, 'src/cli/expert.js'), 'classify', work, '--jsonl', '--threads', '1'],
			{ stdio: ['ignore', 'pipe', 'pipe'] }
		);
		let stdout = '';
		let signalled = false;
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			if (!signalled && stdout.split('\n').length > 20) {
				signalled = true;
				child.kill('SIGINT');
			}
		});
		const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
		expect(signalled).toBe(true);
		expect(code).toBe(130);
		const lines = stdout
			.trimEnd()
			.split('\n')
			.map((line) => JSON.parse(line) as { path?: string; summary?: { classified: number; interrupted: boolean } });
		const summary = lines.at(-1)?.summary;
		const rows = lines.slice(0, -1);
		expect(summary?.interrupted).toBe(true);
		expect(rows.every((row) => typeof row.path === 'string')).toBe(true);
		expect(summary?.classified).toBe(rows.length);
		expect(rows.length).toBeGreaterThanOrEqual(20);
		expect(rows.length).toBeLessThan(total);
	});
});
