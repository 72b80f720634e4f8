// The OpenAI-compatible provider path against a real loopback server: retries on 429 (honouring
// Retry-After), 500, timeouts and killed connections; malformed completions; duplicates; concurrency;
// token and cost accounting; a run that dies mid-way and a resume to exactly --count records. (~6 s)
import { afterEach, describe, expect, it } from 'vitest';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createDatasetFile, type CreateDatasetFileOptions } from '../../src/lib/datasets/create-dataset-fs.ts';
import { validateDataset } from '../../src/lib/datasets/dataset-tools.ts';
import { parseJsonLines } from '../../src/lib/datasets/dataset-file-fs.ts';
import { ExpertError } from '../../src/lib/errors.ts';
import { providerServerForFile } from '../fixtures/provider-server.ts';

const provider = providerServerForFile('providers-openai-');
afterEach(() => {
	provider.server.requests.length = 0;
	provider.server.script = [];
	provider.server.fallback = 'ok';
	provider.server.delayMs = 0;
	provider.server.maxConcurrent = 0;
});

function options(output: string, overrides: Partial<CreateDatasetFileOptions> = {}): CreateDatasetFileOptions {
	return {
		domain: 'json-parsing',
		count: 12,
		format: 'preference_pairs',
		difficulty: 'mixed',
		seed: 1,
		provider: 'gpt-4o',
		output: path.join(provider.dir, output),
		concurrency: 1,
		batchSize: 3,
		env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${provider.server.url}/v1` },
		retry: { baseDelayMs: 20, maxDelayMs: 2000, timeoutMs: 400, maxRetries: 5 },
		...overrides
	};
}

async function readRecords(file: string) {
	const lines = parseJsonLines(await readFile(file, 'utf8'));
	return { lines, report: validateDataset(lines) };
}

describe('openai provider over loopback HTTP', () => {
	it('retries 429/500/timeout/killed connection, skips a malformed completion, and accounts tokens and cost', async () => {
		provider.server.script = ['429', '500', 'hang', 'malformed', 'kill'];
		const result = await createDatasetFile(options('retries.jsonl'));
		const { lines, report } = await readRecords(result.output);
		expect(lines).toHaveLength(12);
		expect(report.problems).toEqual([]);
		expect(report.valid).toBe(12);
		expect(result.retries).toBe(4);
		expect(result.rejectedCompletions).toBe(1);
		const answered = provider.server.requests.filter((r) => r.outcome === 'ok' || r.outcome === 'malformed').length;
		expect(answered).toBe(5);
		expect(result.usage.inputTokens).toBe(answered * 100);
		expect(result.usage.outputTokens).toBe(answered * 50);
		expect(result.usage.costUsd).toBeCloseTo((answered * 100 * 2.5 + answered * 50 * 10) / 1e6, 10);
		// Retry-After: 1 was honoured even though the backoff base is 20 ms.
		expect(provider.server.requests[1].at - provider.server.requests[0].at).toBeGreaterThanOrEqual(950);
		const first = provider.server.requests[0];
		expect(first.path).toBe('/v1/chat/completions');
		expect(first.headers.authorization).toBe('Bearer test-key');
		expect(first.body.model).toBe('gpt-4o');
		expect(first.body.response_format).toEqual({ type: 'json_object' });
		expect((lines[0].value as { source: string }).source).toBe('gpt-4o:gpt-4o');
	});

	it('skips duplicate examples and keeps at most --concurrency requests in flight', async () => {
		// The 4th request starts only after an answer came back, so there is something to duplicate.
		provider.server.script = ['ok', 'ok', 'ok', 'duplicate'];
		provider.server.delayMs = 100;
		const result = await createDatasetFile(options('concurrent.jsonl', { count: 30, batchSize: 2, concurrency: 3 }));
		const { lines, report } = await readRecords(result.output);
		expect(lines).toHaveLength(30);
		expect(report.valid).toBe(30);
		expect(result.duplicatesSkipped).toBe(2);
		expect(provider.server.maxConcurrent).toBe(3);
	});

	it('a run whose connections die keeps its records in .partial only; the resume asks for the missing ones and ends with exactly --count', async () => {
		provider.server.script = ['ok', 'ok'];
		provider.server.fallback = 'kill';
		const run = options('resume.jsonl', { retry: { baseDelayMs: 10, timeoutMs: 400, maxRetries: 1 } });
		const failure = await createDatasetFile(run).catch((e: unknown) => e);
		expect(failure).toBeInstanceOf(ExpertError);
		expect((failure as Error).message).toMatch(
			/failed after 2 attempts: connection .*run the same command again to resume/
		);
		await expect(stat(run.output)).rejects.toThrow();
		expect((await readRecords(`${run.output}.partial`)).lines).toHaveLength(6);

		provider.server.requests.length = 0;
		provider.server.fallback = 'ok';
		const result = await createDatasetFile(run);
		expect(result.existing).toBe(6);
		expect(result.written).toBe(6);
		expect(provider.server.requests.reduce((sum, r) => sum + r.asked, 0)).toBe(6);
		const { lines, report } = await readRecords(run.output);
		expect(lines).toHaveLength(12);
		expect(report.valid).toBe(12);
		await expect(stat(`${run.output}.partial`)).rejects.toThrow();
	});

	it('fails at once with one line on a non-retryable HTTP error, and needs the API key', async () => {
		await expect(createDatasetFile(options('nokey.jsonl', { env: {} }))).rejects.toThrow(
			'provider "gpt-4o" needs an API key in OPENAI_API_KEY'
		);
		await expect(stat(path.join(provider.dir, 'nokey.jsonl.partial'))).rejects.toThrow();
		await expect(
			createDatasetFile(
				options('bad-url.jsonl', { env: { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: `${provider.server.url}/nowhere` } })
			)
		).rejects.toThrow(/answered HTTP 404/);
	});
});
