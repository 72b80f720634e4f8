// `expert eval` on the held-out split (needs ../shared/corpora; skips, saying why, without it): Expert,
// linguist-js and the evidence chain alone on the same files in the same run, per tier and ambiguous group,
// technologies against the hand-made labels, and the q4 agreement — the report holds the bars.
// The expert-set comparison, generation checks and the real-project set are left out here. About 90 s.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CORPORA_DIR } from '../../src/lib/datasets/corpus-fs.ts';
import type { EvalReport } from '../../src/lib/eval/eval-report.ts';
import { runExpert } from '../fixtures/expert-cli.ts';

const corporaPresent = existsSync(DEFAULT_CORPORA_DIR);
if (!corporaPresent) console.log(`eval-cli: skipped, corpora not found at ${DEFAULT_CORPORA_DIR}`);
const work = mkdtempSync(path.join(tmpdir(), 'eval-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!corporaPresent)('expert eval', () => {
	it('scores Expert beside linguist-js on the same held-out files and writes the report', async () => {
		const output = path.join(work, 'report');
		const args = [
			...['eval', '--compare-files', '0', '--generation-prompts', '0'],
			...['--real-set', path.join(work, 'no-real-set'), '--output', output, '--threads', '2']
		];
		const result = await runExpert(args);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toContain('no real-project set at');
		const report = JSON.parse(readFileSync(path.join(output, 'report.json'), 'utf8')) as EvalReport;
		const [heldOut] = report.sideBySide;
		expect(report.sideBySide).toHaveLength(1);
		const [expert, linguistJs, evidenceAlone] = heldOut.rows;
		expect([expert.tool, linguistJs.tool, evidenceAlone.tool]).toEqual([
			'Expert (evidence chain + model)',
			'linguist-js 2.9.2 (rules, no model)',
			'evidence chain alone (first candidate when undecided)'
		]);
		const rate = (tally: { files: number; right: number }) => tally.right / tally.files;
		expect(expert.overall.files).toBe(report.heldOutFiles);
		expect(rate(expert.overall)).toBeCloseTo(report.headline.languageAccuracy, 10);
		expect(rate(expert.overall)).toBeGreaterThanOrEqual(0.95);
		expect(rate(expert.overall) - rate(linguistJs.overall)).toBeGreaterThanOrEqual(0.03);
		expect(rate(expert.tiers['name allows several languages'])).toBeGreaterThanOrEqual(0.85);
		expect(rate(expert.tiers['no extension'])).toBeGreaterThanOrEqual(0.8);
		expect(Object.keys(expert.groups)).toEqual(
			expect.arrayContaining(['.h', '.m', '.pl/.pm/.t', '.sql', '.inc', '.v', 'no extension'])
		);
		expect(report.headline.typeAccuracy).toBeGreaterThanOrEqual(0.95);
		expect(report.headline.technologies.f1).toBeGreaterThanOrEqual(0.8);
		for (const loss of heldOut.losses) expect(loss.expert).not.toBe(loss.truth);
		expect(report.q4Agreement?.files).toBe(report.heldOutFiles);
		const markdown = readFileSync(path.join(output, 'report.md'), 'utf8');
		expect(markdown).toContain('## Language top-1, side by side — held-out linguist split');
		expect(markdown).toContain('## Files Expert gets wrong and linguist-js right');
		expect(markdown).toMatch(/4-bit base \(q4\) against fp32/);
	}, 600_000);
});
