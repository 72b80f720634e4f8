// Runs picked files through the worker: evidence answers while the base model loads, the model's after it
// (timed on their own); each file's head passes the shared input policy (binary, empty, too large, not UTF-8 →
// skipped with the reason); progress per file; stops between files, or at once, when cancelled.
import { decodeFileHead, READ_BYTES, sizeProblem } from '../classify/file-input-policy.ts';
import type { ClassifyRow, ModelState } from '../worker/api.ts';
import { documentTypeOf } from '../classify/document-type.ts';
import { GitRules } from '../classify/git-rules.ts';
import { webLinguistHeuristics, webLinguistPathRules } from '../classify/linguist-heuristics-web.ts';
import {
	gitRulesOf,
	rowReason,
	scanRepository,
	type RepositoryFile,
	type RepositoryRow
} from '../classify/repository-scan.ts';
import { describeError, ExpertError } from '../errors.ts';
import type { ExclusionKind } from '../classify/repository-exclusions.ts';
import { classifyRowOf } from '../worker/classify-row.ts';
import { batchedCalls } from './batched-calls.ts';
import { appWorker, restartAppWorker } from '../worker/client.ts';
import type { PickedFile } from './file-collect.ts';

export interface SkippedFile {
	path: string;
	reason: string;
	/** Set when a repository's breakdown leaves the file out (vendored, generated…) rather than it being unreadable. */
	excluded?: ExclusionKind;
}

export interface ClassifyProgress {
	/** "loading": the base model and the set's adapters are loading (not counted in the rate) while Linguist's evidence answers what it can; "classifying": the model answers the rest. */
	phase: 'loading' | 'classifying';
	done: number;
	total: number;
	/** Files per second since the model finished loading. */
	filesPerSecond: number;
}

export interface ClassifyRunHandlers {
	onProgress(progress: ClassifyProgress): void;
	/** A file classified (by Linguist's evidence first, by the model later). */
	onRow(row: ClassifyRow): void;
	/** A file left out (excluded, unreadable, unknown, failed), with the reason. */
	onSkipped(skipped: SkippedFile): void;
	/** Every row as repository-scan.ts gives it, pending ones included (what the breakdown reads). */
	onResult?(row: RepositoryRow): void;
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
		return { problem: `unreadable (${describeError(error)})` };
	}
}

/** How a run reads the picked files. */
export interface ClassifyRunOptions {
	/**
	 * Read the files as a repository (a dropped folder): .gitattributes / .gitignore honoured, and vendored,
	 * generated and documentation files left out of the breakdown (still listed, with the reason).
	 */
	repository: boolean;
}

class RunCancelled extends Error {}

type ScanInput = { path: string; fileName: string; content: string };
const toClassifyInput = (input: ScanInput) => ({ path: input.path, fileName: input.fileName, text: input.content });
/**
 * Files per worker message: the evidence chain answers in microseconds, so one message per file would leave the
 * page's event loop (and its rendering) the bottleneck; the model's files are fewer per message, so a Cancel
 * leaves little queued work behind it.
 */
const EVIDENCE_BATCH = 64;
const MODEL_BATCH = 4;

/** A worker call's answer; a worker failure becomes this file's problem (an ExpertError: the scan goes on), a cancel ends the run. */
async function workerAnswer<T>(call: Promise<T>, signal: AbortSignal): Promise<T> {
	const answer = await unlessCancelled(call, signal).catch((error: unknown) => {
		throw new ExpertError('classify-failed', describeError(error));
	});
	if (answer === CANCELLED) throw new RunCancelled();
	return answer;
}

/**
 * Classifies `files` with the expert set `expertKeys`, through lib/classify/repository-scan.ts: the base model
 * starts loading at once, and meanwhile every file is read and the ones Linguist's evidence decides alone are
 * answered (files left out, unreadable or unknown are reported with the reason); then the model answers the rest.
 * Cancelling between files stops there; cancelling while the worker is busy (model load, a stuck GPU) terminates
 * the worker, so nothing keeps running behind the page.
 */
export async function classifyFiles(
	files: PickedFile[],
	expertKeys: string[],
	handlers: ClassifyRunHandlers,
	signal: AbortSignal,
	options: ClassifyRunOptions = { repository: false }
): Promise<ClassifyRunResult> {
	const total = files.length;
	// A dropped folder is the repository's root: Linguist's rules read paths inside it (src/x.c, not my-repo/src/x.c).
	const root = options.repository ? commonFolder(files.map((picked) => picked.path)) : '';
	const tree: RepositoryFile[] = files.map((picked) => ({
		path: picked.path.slice(root.length),
		bytes: picked.file.size,
		fileName: picked.file.name,
		read: () => readPicked(picked)
	}));
	const byPath = new Map(tree.map((file) => [file.path, file]));
	const git = options.repository ? await gitRulesOf(tree) : new GitRules();
	const rules = options.repository ? webLinguistPathRules() : null;
	// As `expert classify --breakdown`: a file no rule gives a candidate is unknown, the model not asked.
	const unknownByRules = options.repository ? webLinguistHeuristics() : undefined;
	let done = 0;
	let started: number;
	const report = (scanned: RepositoryRow) => {
		const row = { ...scanned, path: root + scanned.path };
		handlers.onResult?.(row);
		if (row.pending) return;
		if (row.answer) handlers.onRow(classifyRowOf(row.path, row.answer));
		else if (row.language) handlers.onRow(attributeRow(row, byPath.get(scanned.path)!.fileName!));
		else
			handlers.onSkipped({
				path: row.path,
				reason: rowReason(row),
				...(row.exclusion ? { excluded: row.exclusion.kind } : {})
			});
		done += 1;
	};
	handlers.onProgress({ phase: 'loading', done, total, filesPerSecond: 0 });
	const modelLoad = appWorker().loadModel([...expertKeys]);
	modelLoad.catch(() => undefined); // awaited below; a failure is reported there
	const later: RepositoryFile[] = [];
	try {
		const byEvidence = batchedCalls(
			(inputs: ScanInput[]) => workerAnswer(appWorker().classifyByEvidence(inputs.map(toClassifyInput)), signal),
			EVIDENCE_BATCH
		);
		for await (const row of scanRepository(tree, rules, git, byEvidence, {
			lookahead: EVIDENCE_BATCH,
			unknownByRules
		})) {
			if (row.pending) later.push(byPath.get(row.path)!);
			report(row);
			handlers.onProgress({ phase: 'loading', done, total, filesPerSecond: 0 });
			if (signal.aborted) throw new RunCancelled();
		}
		const model = await unlessCancelled(modelLoad, signal);
		if (model === CANCELLED) throw new RunCancelled();
		started = performance.now();
		const byModel = batchedCalls(
			(inputs: ScanInput[]) =>
				workerAnswer(appWorker().classifyDocuments(inputs.map(toClassifyInput), [...expertKeys]), signal),
			MODEL_BATCH
		);
		let classified = 0;
		for await (const row of scanRepository(later, rules, git, byModel, { lookahead: MODEL_BATCH, unknownByRules })) {
			report(row);
			classified += 1;
			handlers.onProgress({
				phase: 'classifying',
				done,
				total,
				filesPerSecond: classified / Math.max((performance.now() - started) / 1000, 1e-3)
			});
			if (signal.aborted) return { cancelled: true, model };
		}
		return { cancelled: false, model };
	} catch (error) {
		if (!(error instanceof RunCancelled)) throw error;
		restartAppWorker();
		return { cancelled: true, model: null };
	}
}

/** The folder every path is in ("my-repo/"), or '' when they do not share one. */
function commonFolder(paths: string[]): string {
	const first = paths[0]?.split('/')[0] ?? '';
	return paths.length > 0 && paths.every((p) => p.startsWith(`${first}/`)) ? `${first}/` : '';
}

/** The row of a file whose language a .gitattributes line names (no classifier involved). */
function attributeRow(row: RepositoryRow, fileName: string): ClassifyRow {
	const language = row.language!;
	return {
		path: row.path,
		type: documentTypeOf(language, fileName),
		language,
		technologies: [],
		evidence: row.languageFrom ?? '',
		decidedBy: 'evidence',
		typeEvidence: `${language} (named by .gitattributes)`,
		technologyEvidence: [],
		experts: [],
		ms: 0
	};
}
