// The held-out material the evaluation uses, read from ../shared/corpora: the eval side of the linguist
// split with ground-truth labels (on the same 512-character prefix the classifier sees), and fresh
// json-parser / neo4j-cypher prompts from the offline generators that do not appear in the training files.
import { existsSync, readFileSync } from 'node:fs';
import { assignCorpusSplit, type Corpora, type CorpusFile } from '../datasets/corpus.ts';
import type { Domain, Example } from '../datasets/formats.ts';
import { SeededRandom } from '../datasets/hashing.ts';
import { labelCorpusFile } from '../datasets/labels.ts';
import { createOfflineGenerator } from '../datasets/offline-generators.ts';
import { CLASSIFICATION_PREFIX_CHARS, type Classification } from '../classify/taxonomy.ts';

export interface LabelledFile {
	path: string;
	fileName: string;
	content: string;
	truth: Classification;
}

/** Every non-empty linguist file on the eval side of the split, labelled. */
export function heldOutFiles(corpora: Corpora): LabelledFile[] {
	const split = assignCorpusSplit(corpora.linguist);
	return corpora.linguist
		.filter((file: CorpusFile) => split.get(file.path) === 'eval' && file.content.trim() !== '')
		.map((file) => ({
			path: file.path,
			fileName: file.fileName,
			content: file.content,
			truth: labelCorpusFile({ language: file.language, fileName: file.fileName, content: file.content.slice(0, CLASSIFICATION_PREFIX_CHARS) })
		}));
}

function trainingPrompts(datasetFile: string): Set<string> {
	if (!existsSync(datasetFile)) return new Set();
	const records = readFileSync(datasetFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Partial<Example>);
	return new Set(records.map((r) => `${r.instruction}\n${r.input ?? ''}`));
}

/**
 * `count` examples of the given tasks from the domain's offline generator under a seed the training data
 * did not use, skipping any whose prompt is in `trainingDataset` (when that file exists).
 */
export function heldOutPrompts(corpora: Corpora, domain: Domain, tasks: string[], count: number, trainingDataset: string, seed = 7919): Example[] {
	const generator = createOfflineGenerator(domain, corpora, null);
	const seen = trainingPrompts(trainingDataset);
	const rng = new SeededRandom(seed);
	const examples: Example[] = [];
	for (let attempt = 0; attempt < count * 200 && examples.length < count; attempt++) {
		const example = generator.generate(rng, 'easy');
		const key = `${example.instruction}\n${example.input ?? ''}`;
		if (!tasks.includes(example.task) || seen.has(key)) continue;
		seen.add(key);
		examples.push(example);
	}
	return examples;
}
