// The trainer's data dir: where jobs, uploaded/served datasets, base models and trained packages live,
// and the confinement rule that every client-supplied path must stay inside it (no `..`, no symlink escape;
// dataset paths inside its datasets/ folder).
import { mkdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { ExpertError } from '../lib/errors.ts';

export interface DataDirLayout {
	root: string;
	database: string;
	jobs: string;
	datasets: string;
	models: string;
	packages: string;
}

/** Creates the data dir's folders if needed and returns their absolute paths. */
export function prepareDataDir(dir: string): DataDirLayout {
	const root = path.resolve(dir);
	const layout: DataDirLayout = {
		root,
		database: path.join(root, 'trainer.sqlite'),
		jobs: path.join(root, 'jobs'),
		datasets: path.join(root, 'datasets'),
		models: path.join(root, 'models'),
		packages: path.join(root, 'packages')
	};
	for (const folder of [layout.jobs, layout.datasets, layout.models, layout.packages])
		mkdirSync(folder, { recursive: true });
	return layout;
}

/**
 * Resolves a client-supplied path (relative to `root`, or absolute) to a real path inside `root`.
 * Rejects `..` segments, paths outside `root`, missing files, and symlinks that lead outside.
 */
export function resolveConfinedPath(root: string, requested: string, what: string): string {
	if (requested.includes('\0')) throw new ExpertError('path-escape', `${what}: contains a NUL byte`);
	if (requested.split(/[\\/]/).includes('..'))
		throw new ExpertError('path-escape', `${what}: "${requested}" must not contain ".."`);
	const realRoot = realpathSync(root);
	const candidate = path.resolve(realRoot, requested);
	const inside = (target: string) => target === realRoot || target.startsWith(realRoot + path.sep);
	if (!inside(candidate))
		throw new ExpertError('path-escape', `${what}: "${requested}" is outside the trainer's data dir`);
	let real: string;
	try {
		real = realpathSync(candidate);
	} catch {
		throw new ExpertError('missing-file', `${what}: "${requested}" does not exist in the trainer's data dir`);
	}
	if (!inside(real))
		throw new ExpertError('path-escape', `${what}: "${requested}" leads outside the trainer's data dir (symlink)`);
	return real;
}

/**
 * Resolves `dataset.path`: like resolveConfinedPath, and further confined to the data dir's datasets/ folder,
 * so a request can neither read the job store (trainer.sqlite) nor another job's files, and must name a file.
 */
export function resolveDatasetPath(layout: DataDirLayout, requested: string): string {
	const real = resolveConfinedPath(layout.root, requested, 'dataset.path');
	const datasets = realpathSync(layout.datasets);
	if (!real.startsWith(datasets + path.sep))
		throw new ExpertError(
			'path-escape',
			`dataset.path: "${requested}" is not under datasets/ in the trainer's data dir (only files there can be named)`
		);
	if (!statSync(real).isFile())
		throw new ExpertError('not-a-file', `dataset.path: "${requested}" is not a regular file`);
	return real;
}
