// Runs a list of picked files through the worker's classify() in small batches, reading only each
// file's first 64 KiB, and reports progress (files done, files per second) after every batch.
import type { ClassifyRow } from '../worker/api.ts';
import { appWorker } from '../worker/client.ts';
import type { PickedFile } from './file-collect.ts';

const BATCH_SIZE = 4;
const READ_BYTES = 64 * 1024;

export interface ClassifyProgress {
	done: number;
	total: number;
	filesPerSecond: number;
}

export async function classifyFiles(files: PickedFile[], expertKeys: string[], onProgress: (progress: ClassifyProgress) => void): Promise<ClassifyRow[]> {
	const rows: ClassifyRow[] = [];
	const started = performance.now();
	for (let start = 0; start < files.length; start += BATCH_SIZE) {
		const batch = files.slice(start, start + BATCH_SIZE);
		const inputs = await Promise.all(batch.map(async ({ path, file }) => ({ path, text: await file.slice(0, READ_BYTES).text() })));
		rows.push(...(await appWorker().classify(inputs, [...expertKeys])));
		const seconds = (performance.now() - started) / 1000;
		onProgress({ done: rows.length, total: files.length, filesPerSecond: rows.length / Math.max(seconds, 1e-3) });
	}
	return rows;
}
