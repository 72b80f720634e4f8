// The contract between the Train page and its dataset worker (comlink): offline dataset generation over
// corpus files the page read; types only.
import type { CorporaTextFile } from '../datasets/corpus.ts';
import type { DatasetRequest } from '../datasets/create-dataset.ts';

export interface GeneratedDataset {
	/** One record per line, as `expert-gen dataset create` writes them. */
	jsonl: string;
	written: number;
	duplicatesSkipped: number;
}

export interface DatasetWorkerApi {
	/** Generates `request.count` unique records; `onProgress` hears the count so far (a comlink proxy). */
	generate(
		corpusFiles: CorporaTextFile[],
		request: DatasetRequest,
		onProgress: (done: number, total: number) => void | Promise<void>
	): Promise<GeneratedDataset>;
}
