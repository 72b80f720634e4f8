// The held-out material the evaluation uses, read from ../shared/corpora: the eval side of the linguist
// split with its labels — language from the corpus folder, type from the taxonomy's table over that language
// and the file name, technologies from a list made by reading each file (datasets/eval/heldout-technologies.jsonl,
// independent of the detector) — English prose paragraphs of that eval side, and fresh json-parser / neo4j-cypher
// prompts the training files do not contain.
import { existsSync, readFileSync } from 'node:fs';
import { assignCorpusSplit, type Corpora, type CorpusFile } from '../datasets/corpus.ts';
import type { Domain, Example } from '../datasets/formats.ts';
import { SeededRandom } from '../datasets/hashing.ts';
import { documentTypeOf } from '../classify/document-type.ts';
import { languageOfFolderName } from '../classify/linguist-names.ts';
import { createOfflineGenerator } from '../datasets/offline-generators.ts';
import { extractProse } from '../datasets/english-prose.ts';
import type { Classification } from '../classify/taxonomy.ts';
import { ExpertError } from '../errors.ts';

export interface LabelledFile {
	path: string;
	fileName: string;
	content: string;
	truth: Classification;
}

/** The hand-made technology labels of the held-out files (path → technologies). */
export function technologyLabels(labelsFile: string): Map<string, string[]> {
	const lines = readFileSync(labelsFile, 'utf8').split('\n').filter(Boolean);
	return new Map(
		lines.map((line) => {
			const record = JSON.parse(line) as { path: string; technologies: string[] };
			return [record.path, [...record.technologies].sort()];
		})
	);
}

/** Every non-empty linguist file on the eval side of the split, labelled (see the header for how). */
export function heldOutFiles(corpora: Corpora, technologies: Map<string, string[]>): LabelledFile[] {
	const split = assignCorpusSplit(corpora.linguist);
	return corpora.linguist
		.filter((file: CorpusFile) => split.get(file.path) === 'eval' && file.content.trim() !== '')
		.map((file) => {
			const labelled = technologies.get(file.path);
			if (!labelled)
				throw new ExpertError(
					'labels-missing',
					`${file.path} is held out but has no technology label in datasets/eval/heldout-technologies.jsonl`
				);
			const language = languageOfFolderName(file.language) ?? file.language;
			return {
				path: file.path,
				fileName: file.fileName,
				content: file.content,
				truth: { type: documentTypeOf(language, file.fileName), language, technologies: labelled }
			};
		});
}

/** Paragraphs of English prose from the eval side of the linguist split (generators, english-basic's included, use the train side). */
export function heldOutProse(corpora: Corpora, count: number): string[] {
	const split = assignCorpusSplit(corpora.linguist);
	const files = corpora.linguist.filter((file) => split.get(file.path) === 'eval');
	return extractProse(files)
		.map((paragraph) => paragraph.sentences.join(' '))
		.slice(0, count);
}

function trainingPrompts(datasetFile: string): Set<string> {
	if (!existsSync(datasetFile)) return new Set();
	const records = readFileSync(datasetFile, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as Partial<Example>);
	return new Set(records.map((r) => `${r.instruction}\n${r.input ?? ''}`));
}

/**
 * `count` examples of the given tasks from the domain's offline generator under a seed the training data
 * did not use, skipping any whose prompt is in `trainingDataset` (when that file exists).
 */
export function heldOutPrompts(
	corpora: Corpora,
	domain: Domain,
	tasks: string[],
	count: number,
	trainingDataset: string,
	seed = 7919
): Example[] {
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
