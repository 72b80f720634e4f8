// The Anthropic messages provider through the real `expert-gen` CLI against a loopback server: wire
// format (headers, path, usage), 500s and malformed completions, then a CLI process killed with SIGKILL
// mid-run and a second run that resumes to exactly --count unique, valid records. (~8 s)
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { validateDataset } from '../../src/lib/datasets/dataset-tools.ts';
import { parseJsonLines } from '../../src/lib/datasets/dataset-file-fs.ts';
import { providerServerForFile } from '../fixtures/provider-server.ts';

const CLI = path.resolve('src/cli/expert-gen.js');
const provider = providerServerForFile('providers-anthropic-');

function startCli(output: string, count: number): ChildProcess {
	return spawn(
		process.execPath,
		[
			...[CLI, 'dataset', 'create', '--domain', 'english-language', '--task', 'paraphrase'],
			...['--count', String(count), '--provider', 'claude', '--batch-size', '2', '--concurrency', '1'],
			...['--max-retries', '3', '--output', output, '--json']
		],
		{
			env: { ...process.env, ANTHROPIC_API_KEY: 'sk-test', ANTHROPIC_BASE_URL: provider.server.url },
			stdio: ['ignore', 'pipe', 'pipe']
		}
	);
}

function finish(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (d) => (stdout += d));
	child.stderr!.on('data', (d) => (stderr += d));
	return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Complete (newline-terminated) lines: a line torn by the kill does not count. */
async function lineCount(file: string): Promise<number> {
	const text = await readFile(file, 'utf8').catch(() => '');
	return text.split('\n').slice(0, -1).filter(Boolean).length;
}

describe('anthropic provider through the CLI', () => {
	it('speaks the messages API, survives 500s and malformed completions, and prints token accounting', async () => {
		provider.server.script = ['500', 'malformed', '500'];
		const output = path.join(provider.dir, 'wire.jsonl');
		const { code, stdout, stderr } = await finish(startCli(output, 6));
		expect(stderr.replace(/npm warn.*\n/g, '')).toBe('');
		expect(code).toBe(0);
		const summary = JSON.parse(stdout);
		expect(summary).toMatchObject({
			provider: 'claude:claude-sonnet-4-5',
			written: 6,
			retries: 2,
			rejectedCompletions: 1,
			usage: { inputTokens: 400, outputTokens: 200 }
		});
		const request = provider.server.requests[0];
		expect(request.path).toBe('/v1/messages');
		expect(request.headers['x-api-key']).toBe('sk-test');
		expect(request.headers['anthropic-version']).toBe('2023-06-01');
		expect(request.body.model).toBe('claude-sonnet-4-5');
		expect(JSON.stringify(request.body.messages)).toContain('Task: paraphrase');
		const report = validateDataset(parseJsonLines(await readFile(output, 'utf8')));
		expect(report).toMatchObject({ records: 6, valid: 6, problems: [] });
	});

	it('resumes after the CLI is killed mid-run, ending with exactly --count unique records', async () => {
		provider.server.requests.length = 0;
		provider.server.delayMs = 150;
		const output = path.join(provider.dir, 'killed.jsonl');
		const child = startCli(output, 20);
		const exited = finish(child);
		while ((await lineCount(`${output}.partial`)) < 6) await new Promise((r) => setTimeout(r, 20));
		child.kill('SIGKILL');
		await exited;
		await expect(stat(output)).rejects.toThrow();
		const kept = await lineCount(`${output}.partial`);
		expect(kept).toBeGreaterThanOrEqual(6);
		expect(kept).toBeLessThan(20);

		provider.server.requests.length = 0;
		provider.server.delayMs = 0;
		const { code, stdout } = await finish(startCli(output, 20));
		expect(code).toBe(0);
		expect(JSON.parse(stdout)).toMatchObject({ existing: kept, written: 20 - kept });
		expect(provider.server.requests.reduce((sum, r) => sum + r.asked, 0)).toBe(20 - kept);
		const report = validateDataset(parseJsonLines(await readFile(output, 'utf8')));
		expect(report).toMatchObject({ records: 20, valid: 20, duplicates: 0, problems: [] });
	});
});
