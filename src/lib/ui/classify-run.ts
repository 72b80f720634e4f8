// Runs picked files through the worker one at a time: the base model loads first (timed on its own), each
// file's head passes the shared input policy (binary, empty, too large, not UTF-8 → skipped with the
// reason), and the run reports progress per file and stops between files, or at once, when cancelled.
import { decodeFileHead, READ_BYTES, sizeProblem } from '../classify/file-input-policy.ts';
import type { ClassifyRow, ModelState } from '../worker/api.ts';
import { appWorker, errorMessage, restartAppWorker } from '../worker/client.ts';
import type { PickedFile } from './file-collect.ts';

export interface SkippedFile {
	path: string;
	reason: string;
}

export interface ClassifyProgress {
	/** "loading": the base model and the set's adapters are loading (not counted in the rate); "classifying": files are going through. */
	phase: 'loading' | 'classifying';
	done: number;
	total: number;
	/** Files per second since the model finished loading. */
	filesPerSecond: number;
}

export interface ClassifyRunHandlers {
	onProgress(progress: ClassifyProgress): void;
	onRow(row: ClassifyRow): void;
	onSkipped(skipped: SkippedFile): void;
}

export interface ClassifyRunResult {
	cancelled: boolean;
	/** The base model's state once loaded (backend, load time, any fallback), or null when cancelled before. */
	model: ModelState | null;
}

const CANCELLED = Symbol('cancelled');

/** The promise's value, or CANCELLED as soon as the signal aborts. */
function unlessCancelled<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof CANCELLED> {
	if (signal.aborted) return Promise.resolve(CANCELLED);
	return new Promise((resolve, reject) => {
		const onAbort = () => resolve(CANCELLED);
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
	});
}

/** The text the classifier gets for one picked file, or why it is skipped. */
export async function readPicked({ file }: PickedFile): Promise<{ content: string } | { problem: string }> {
	const problem = sizeProblem(file.size);
	if (problem) return { problem };
	try {
		return decodeFileHead(new Uint8Array(await file.slice(0, READ_BYTES).arrayBuffer()));
	} catch (error) {
		return { problem: `unreadable (${errorMessage(error)})` };
	}
}

/**
 * Classifies `files` with the expert set `expertKeys`. Cancelling between files stops there; cancelling while
 * the worker is busy (model load, a stuck GPU) terminates the worker, so nothing keeps running behind the page.
 */
export async function classifyFiles(files: PickedFile[], expertKeys: string[], handlers: ClassifyRunHandlers, signal: AbortSignal): Promise<ClassifyRunResult> {
	const total = files.length;
	handlers.onProgress({ phase: 'loading', done: 0, total, filesPerSecond: 0 });
	const model = await unlessCancelled(appWorker().loadModel([...expertKeys]), signal);
	if (model === CANCELLED) {
		restartAppWorker();
		return { cancelled: true, model: null };
	}
	const started = performance.now();
	let done = 0;
	for (const picked of files) {
		if (signal.aborted) return { cancelled: true, model };
		const read = await readPicked(picked);
		if ('problem' in read) handlers.onSkipped({ path: picked.path, reason: read.problem });
		else {
			const answer = await unlessCancelled(
				appWorker()
					.classify([{ path: picked.path, text: read.content }], [...expertKeys])
					.catch((error: unknown) => errorMessage(error)),
				signal
			);
			if (answer === CANCELLED) {
				restartAppWorker();
				return { cancelled: true, model };
			}
			if (typeof answer === 'string') handlers.onSkipped({ path: picked.path, reason: answer });
			else handlers.onRow(answer[0]);
		}
		done += 1;
		handlers.onProgress({ phase: 'classifying', done, total, filesPerSecond: done / Math.max((performance.now() - started) / 1000, 1e-3) });
	}
	return { cancelled: false, model };
}
