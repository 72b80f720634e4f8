// The page's handle on dataset generation: starts a dataset worker for one run, passes the progress
// callback through comlink, and terminates the worker when the run ends or is cancelled.
import * as Comlink from 'comlink';
import type { CorporaTextFile } from '../datasets/corpus.ts';
import type { DatasetRequest } from '../datasets/create-dataset.ts';
import { ExpertError } from '../errors.ts';
import type { DatasetWorkerApi, GeneratedDataset } from './dataset-api.ts';
import { carryErrorCodes } from './error-transfer.ts';

carryErrorCodes();

export async function generateDataset(
	corpusFiles: CorporaTextFile[],
	request: DatasetRequest,
	onProgress: (done: number, total: number) => void,
	signal: AbortSignal
): Promise<GeneratedDataset> {
	const worker = new Worker(new URL('./dataset.worker.ts', import.meta.url), { type: 'module' });
	const remote = Comlink.wrap<DatasetWorkerApi>(worker);
	const cancelled = new Promise<never>((_, reject) =>
		signal.addEventListener('abort', () => reject(new ExpertError('cancelled', 'dataset generation cancelled')), {
			once: true
		})
	);
	try {
		return await Promise.race([remote.generate(corpusFiles, request, Comlink.proxy(onProgress)), cancelled]);
	} finally {
		worker.terminate();
	}
}
