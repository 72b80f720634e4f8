// Record formats, ids and duplicate detection, schema validation, dataset split/stats, and the
// resumable output file (torn last line dropped, final name only when complete). (<1 s)
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseDifficulty, parseDomain, parseFormat, toRecord, type Example } from '../../src/lib/datasets/formats.ts';
import { recordProblems } from '../../src/lib/datasets/record-validation.ts';
import { datasetStats, splitDataset, validateDataset } from '../../src/lib/datasets/dataset-tools.ts';
import { DatasetOutput, parseJsonLines } from '../../src/lib/datasets/dataset-file-fs.ts';
import { parseRetryAfter, backoffDelayMs } from '../../src/lib/datasets/providers/http-retry.ts';
import { parseCompletion } from '../../src/lib/datasets/providers/prompts.ts';

const example: Example = {
	task: 't',
	difficulty: 'easy',
	source: 'generated',
	instruction: 'Say hi',
	input: 'to Ada',
	output: 'Hi Ada',
	rejected: 'Bye'
};

describe('record formats', () => {
	it('builds each format with a content-derived id that ignores case and white space only', () => {
		const instruction = toRecord(example, 'english-language', 'instruction');
		expect(instruction).toMatchObject({
			instruction: 'Say hi',
			input: 'to Ada',
			output: 'Hi Ada',
			domain: 'english-language',
			difficulty: 'easy',
			source: 'generated'
		});
		expect(toRecord({ ...example, output: '  hi   ADA ' }, 'english-language', 'instruction').id).toBe(instruction.id);
		expect(toRecord({ ...example, output: 'Hi Bob' }, 'english-language', 'instruction').id).not.toBe(instruction.id);
		const chat = toRecord(example, 'english-language', 'chat');
		expect('messages' in chat && chat.messages).toEqual([
			{ role: 'user', content: 'Say hi\n\nto Ada' },
			{ role: 'assistant', content: 'Hi Ada' }
		]);
		const pair = toRecord(example, 'english-language', 'preference_pairs');
		expect(pair).toMatchObject({ prompt: 'Say hi\n\nto Ada', chosen: 'Hi Ada', rejected: 'Bye' });
		for (const r of [instruction, chat, pair]) expect(recordProblems(r)).toEqual([]);
		expect(() => toRecord({ ...example, rejected: undefined }, 'english-language', 'preference_pairs')).toThrow(
			/no rejected answer/
		);
	});

	it('rejects records that break the schema or whose id does not match the content', () => {
		const record = toRecord(example, 'json-parsing', 'instruction');
		expect(recordProblems({ ...record, output: '' })[0]).toMatch(/instruction schema: \/output/);
		expect(recordProblems({ ...record, extra: 1 })[0]).toMatch(/additional properties "extra"/);
		expect(recordProblems({ ...record, difficulty: 'extreme' })[0]).toMatch(/\/difficulty/);
		expect(recordProblems({ ...record, output: 'changed' })[0]).toMatch(/does not match its content/);
		expect(recordProblems([1, 2])).toEqual(['not a JSON object']);
	});

	it('parses option values with one-line errors', () => {
		expect(parseDomain('rust-code')).toBe('rust-code');
		expect(() => parseDomain('cooking')).toThrow(
			'unknown domain "cooking" (expected one of: english-language, json-parsing, neo4j-cypher, python-code, rust-code, document-classification)'
		);
		expect(() => parseFormat('xml')).toThrow(/unknown format "xml"/);
		expect(parseDifficulty('mixed')).toBe('mixed');
		expect(() => parseDifficulty('extreme')).toThrow(/unknown difficulty/);
	});
});

describe('whole-dataset tools', () => {
	const records = Array.from({ length: 200 }, (_, i) =>
		toRecord({ ...example, output: `answer ${i}`, difficulty: i % 2 ? 'hard' : 'easy' }, 'json-parsing', 'instruction')
	);

	it('validate reports bad JSON, schema problems and duplicates by line', () => {
		const text = [
			JSON.stringify(records[0]),
			'{not json',
			JSON.stringify(records[1]),
			JSON.stringify(records[0]),
			JSON.stringify({ ...records[2], output: 'x' })
		].join('\n');
		const report = validateDataset(parseJsonLines(text));
		expect(report).toMatchObject({ records: 5, valid: 2, duplicates: 1 });
		expect(report.problems.map((p) => p.lineNumber)).toEqual([2, 4, 5]);
	});

	it('split is deterministic by id and close to the asked share; stats count what is there', () => {
		const { train, eval: evaluation } = splitDataset(records, 0.2);
		expect(train.length + evaluation.length).toBe(200);
		expect(evaluation.length).toBeGreaterThan(20);
		expect(evaluation.length).toBeLessThan(60);
		expect(
			splitDataset([...records].reverse(), 0.2)
				.eval.map((r) => r.id)
				.sort()
		).toEqual(evaluation.map((r) => r.id).sort());
		const stats = datasetStats(records);
		expect(stats).toMatchObject({
			records: 200,
			uniqueIds: 200,
			format: 'instruction',
			byDifficulty: { easy: 100, medium: 0, hard: 100 },
			byDomain: { 'json-parsing': 200 }
		});
	});
});

describe('resumable output file', () => {
	it('drops a torn last line on resume and takes its final name only on completion', async () => {
		const dir = await mkdtemp(path.join(os.tmpdir(), 'datasets-output-'));
		try {
			const output = path.join(dir, 'out.jsonl');
			await writeFile(`${output}.partial`, `${JSON.stringify(records(0))}\n${JSON.stringify(records(1))}\n{"id":"torn`);
			const opened = await DatasetOutput.open(output);
			expect(opened.existing.map((r) => r.id)).toEqual([records(0).id, records(1).id]);
			expect(await readFile(`${output}.partial`, 'utf8')).toBe(
				`${JSON.stringify(records(0))}\n${JSON.stringify(records(1))}\n`
			);
			await opened.append([records(2)]);
			await expect(stat(output)).rejects.toThrow();
			await opened.complete();
			expect((await readFile(output, 'utf8')).trim().split('\n')).toHaveLength(3);
			await expect(DatasetOutput.open(path.join(dir, 'missing-folder', 'x.jsonl'))).rejects.toThrow(
				/cannot write .*does not exist or is not writable/
			);
			await expect(DatasetOutput.open(dir)).rejects.toThrow(/it is a folder/);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
		function records(i: number) {
			return toRecord({ ...example, output: `line ${i}` }, 'json-parsing', 'instruction');
		}
	});
});

describe('provider helpers', () => {
	it('reads Retry-After as seconds or an HTTP date, and backs off exponentially with jitter under a cap', () => {
		expect(parseRetryAfter('2')).toBe(2000);
		expect(parseRetryAfter(new Date(10_000 + 5000).toUTCString(), 10_000)).toBe(5000);
		expect(parseRetryAfter(null)).toBeNull();
		expect(parseRetryAfter('soon')).toBeNull();
		const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000, timeoutMs: 1 };
		expect(backoffDelayMs(0, policy, () => 0)).toBe(50);
		expect(backoffDelayMs(2, policy, () => 0.999)).toBeCloseTo(400, -1);
		expect(backoffDelayMs(10, policy, () => 1)).toBe(1000);
	});

	it('parses completions, dropping examples without the needed fields', () => {
		const text =
			'```json\n{"examples":[{"instruction":"a","output":"b","rejected":"c"},{"instruction":"a"},{"instruction":"x","output":"y","rejected":"y"}]}\n```';
		expect(parseCompletion(text, { format: 'preference_pairs' })).toEqual([
			{ task: 'provider', instruction: 'a', input: '', output: 'b', rejected: 'c' }
		]);
		expect(parseCompletion(text, { format: 'instruction', task: 'q' })).toHaveLength(2);
		expect(parseCompletion('{"examples": [', { format: 'instruction' })).toBeNull();
	});
});
