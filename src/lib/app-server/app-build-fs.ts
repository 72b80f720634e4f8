// Builds the web app's production site with Vite (SvelteKit's adapter) into a folder of this project, as the
// browser tests and the app-load benchmark need it: `<dir>/site` is what `expert app` serves.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../datasets/corpus-fs.ts';

/** Runs `vite build` with EXPERT_APP_BUILD_DIR set to `dir` (inside the project: SvelteKit builds only there). */
export async function buildApp(dir: string): Promise<void> {
	await promisify(execFile)(
		process.execPath,
		[path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'],
		{
			cwd: REPO_ROOT,
			env: { ...process.env, EXPERT_APP_BUILD_DIR: path.relative(REPO_ROOT, dir) },
			maxBuffer: 16 * 2 ** 20
		}
	);
}
