// worker/scale_bench.py, the scaling benchmark for a machine with PyTorch and no Node (a GPU box): on this CPU with a
// tiny random base it runs 1 and 2 gloo ranks on the same global batch, and both end at the same loss.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TRAINER_PYTHON, WORKER_DIR } from '../fixtures/trainer-worker.ts';

const skip = existsSync(TRAINER_PYTHON) ? null : `${TRAINER_PYTHON} not found`;
if (skip) console.warn(`skipping the scaling benchmark test: ${skip}`);
const root = mkdtempSync(path.join(tmpdir(), 'scale-bench-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(skip)('scale_bench.py', () => {
	it('measures 1 and 2 ranks on one global batch and prints one JSON document', () => {
		const tiny = [
			'--hidden',
			'64',
			'--layers',
			'2',
			'--vocab',
			'512',
			'--seq-len',
			'64',
			'--batch',
			'4',
			'--steps',
			'3'
		];
		const result = spawnSync(
			TRAINER_PYTHON,
			[path.join(WORKER_DIR, 'scale_bench.py'), '--out', path.join(root, 'out'), '--ranks', '1,2', ...tiny],
			{ encoding: 'utf8' }
		);
		expect(result.status, result.stderr).toBe(0);
		const report = JSON.parse(result.stdout);
		expect(report).toMatchObject({ device: 'cpu', backend: 'gloo', settings: { hidden: 64, steps: 3 } });
		expect(report.rows.map((row: { ranks: number }) => row.ranks)).toEqual([1, 2]);
		const [one, two] = report.rows;
		expect(one.tokens_per_s).toBeGreaterThan(0);
		expect(two.speed_up).toBeCloseTo(two.tokens_per_s / one.tokens_per_s, 1);
		expect(Math.abs(one.final_loss - two.final_loss)).toBeLessThan(1e-4);
	}, 120_000);
});
