// `expert app` (what `npm start` runs): builds the web app when build/ is missing or older than its
// sources, then serves it on loopback with the COOP/COEP headers it needs and prints the URL.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { serveAppBuild } from '../../lib/app-server/static-site-fs.ts';
import { REPO_ROOT } from '../../lib/datasets/corpus-fs.ts';
import { ExpertError } from '../../lib/errors.ts';
import { integerOption } from '../numeric-option.ts';

/** build/, or the site of a private build when EXPERT_APP_BUILD_DIR names one (svelte.config.js reads the same variable). */
const BUILD_DIR = process.env.EXPERT_APP_BUILD_DIR
	? path.resolve(REPO_ROOT, process.env.EXPERT_APP_BUILD_DIR, 'site')
	: path.join(REPO_ROOT, 'build');
/** What the build is made from: a newer file in any of these means build/ is stale. */
const SOURCES = ['src', 'static', 'experts', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function newestMtime(entry: string): number {
	if (!existsSync(entry)) return 0;
	const info = statSync(entry);
	if (!info.isDirectory()) return info.mtimeMs;
	return Math.max(info.mtimeMs, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

/** Why build/ must be (re)built, or null when it is up to date. */
function buildReason(): string | null {
	const index = path.join(BUILD_DIR, 'index.html');
	if (!existsSync(index)) return 'no build yet';
	const built = statSync(index).mtimeMs;
	const stale = SOURCES.find((source) => newestMtime(path.join(REPO_ROOT, source)) > built);
	return stale ? `${stale} changed since the last build` : null;
}

function build(reason: string, quiet: boolean): void {
	if (!quiet) process.stderr.write(`building the app (${reason})…\n`);
	try {
		execFileSync(
			process.execPath,
			[path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'],
			{ cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] }
		);
	} catch (error) {
		const stderr = String((error as { stderr?: Buffer }).stderr ?? '')
			.trim()
			.split('\n')[0];
		throw new ExpertError('build-failed', `the app build failed: ${stderr || (error as Error).message}`);
	}
}

export function registerAppCommand(program: Command): void {
	program
		.command('app')
		.description('Serve the web app (built first when needed) on loopback with COOP/COEP, and print its URL.')
		.option('--port <n>', 'TCP port (0 = any free port)', integerOption(0), 4173)
		.option('--host <address>', 'address to bind', '127.0.0.1')
		.option('--rebuild', 'build even when build/ looks up to date')
		.option('--json', 'print {url, build, built} as one JSON line')
		.addHelpText(
			'after',
			'\nThe Train page talks to a trainer: start one with\n  expert trainer serve --cors-origin http://127.0.0.1:4173\n'
		)
		.action(async (options: { port: number; host: string; rebuild?: boolean; json?: boolean }) => {
			const reason = options.rebuild ? 'asked with --rebuild' : buildReason();
			if (reason) build(reason, Boolean(options.json));
			const server = await serveAppBuild(BUILD_DIR, { host: options.host, port: options.port });
			// One line, since the server keeps running: scripts read the first line of stdout.
			if (options.json)
				process.stdout.write(
					`${JSON.stringify({ url: `${server.origin}/`, build: BUILD_DIR, built: reason !== null })}\n`
				);
			else
				process.stdout.write(
					`Expert is at ${server.origin}/ (serving ${path.relative(process.cwd(), BUILD_DIR) || BUILD_DIR}; Ctrl-C stops)\n`
				);
			await new Promise<void>((resolve) => {
				const stop = () => void server.close().then(resolve);
				process.once('SIGINT', stop);
				process.once('SIGTERM', stop);
			});
		});
}
