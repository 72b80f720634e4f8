// Vite plugin for the web app: ships onnxruntime-web's runtime files (ort/) and the built-in experts
// (builtin-experts/<folder>/ plus builtin-experts/index.json, which carries experts/sets/*.json inline) with the client build, and serves them in dev;
// lists the build's worker scripts for the service worker (worker-scripts-index.ts).
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Plugin } from 'vite';
import { OPTIONAL_PACKAGE_FILES, PACKAGE_FILES } from '../lib/experts/package.ts';
import { scanExpertDirs } from '../lib/experts/package-fs.ts';
import { ORT_ASSETS_DIR, ORT_RUNTIME_FILES } from '../lib/runtime/ort-assets.ts';
import { readExpertSets } from '../lib/experts/expert-set-fs.ts';
import { WORKER_SCRIPTS_INDEX, workerScriptsOf } from '../lib/worker/worker-scripts-index.ts';
import {
	BUILTIN_EXPERTS_DIR,
	BUILTIN_INDEX_FILE,
	type BuiltinExpertIndex
} from '../lib/worker/builtin-expert-index.ts';

export interface AppAssetsOptions {
	/** onnxruntime-web's dist folder. */
	ortDist: string;
	/** The folder of expert packages shipped as built-in experts. */
	expertsDir: string;
}

/** Output path (relative to the site root) -> source file, or generated text for the index. */
async function collectAssets({
	ortDist,
	expertsDir
}: AppAssetsOptions): Promise<Map<string, string | { text: string }>> {
	const assets = new Map<string, string | { text: string }>();
	for (const file of ORT_RUNTIME_FILES) assets.set(`${ORT_ASSETS_DIR}/${file}`, path.join(ortDist, file));
	const shipped = await readExpertSets(expertsDir);
	if (shipped.skipped.length > 0) throw new Error(`cannot ship expert sets: ${shipped.skipped[0].problem}`);
	const index: BuiltinExpertIndex = { packages: [], sets: [...shipped.sets.values()] };
	for (const dir of await scanExpertDirs(expertsDir)) {
		const folder = path.basename(dir);
		const files: string[] = [];
		let bytes = 0;
		for (const file of [...Object.values(PACKAGE_FILES), ...Object.values(OPTIONAL_PACKAGE_FILES)]) {
			const source = path.join(dir, file);
			const info = await stat(source).catch(() => null);
			if (info?.isFile()) {
				files.push(file);
				bytes += info.size;
				assets.set(`${BUILTIN_EXPERTS_DIR}/${folder}/${file}`, source);
			}
		}
		index.packages.push({ folder, files, bytes });
	}
	assets.set(`${BUILTIN_EXPERTS_DIR}/${BUILTIN_INDEX_FILE}`, { text: `${JSON.stringify(index, null, '\t')}\n` });
	return assets;
}

const CONTENT_TYPES: Record<string, string> = {
	'.wasm': 'application/wasm',
	'.mjs': 'text/javascript',
	'.json': 'application/json'
};

export function appAssetsPlugin(options: AppAssetsOptions): Plugin {
	return {
		name: 'expert-app-assets',
		configureServer(server) {
			const base = server.config.base.replace(/\/?$/, '/');
			server.middlewares.use((request: IncomingMessage, response: ServerResponse, next: () => void) => {
				const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://dev').pathname);
				const relative = pathname.startsWith(base) ? pathname.slice(base.length) : '';
				if (!relative.startsWith(`${ORT_ASSETS_DIR}/`) && !relative.startsWith(`${BUILTIN_EXPERTS_DIR}/`))
					return next();
				collectAssets(options)
					.then(async (assets) => {
						const asset = assets.get(relative);
						if (!asset) return next();
						const body = typeof asset === 'string' ? await readFile(asset) : asset.text;
						response
							.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(relative)] ?? 'application/octet-stream' })
							.end(body);
					})
					.catch(next);
			});
		},
		// Worker bundles exist only once the client bundle is written; the service worker precaches this list.
		async writeBundle(output, bundle) {
			if (this.environment.config.consumer !== 'client' || !output.dir) return;
			await writeFile(
				path.join(output.dir, WORKER_SCRIPTS_INDEX),
				`${JSON.stringify(workerScriptsOf(Object.keys(bundle)))}\n`
			);
		},
		async generateBundle() {
			if (this.environment.config.consumer !== 'client') return;
			for (const [fileName, asset] of await collectAssets(options)) {
				this.emitFile({
					type: 'asset',
					fileName,
					source: typeof asset === 'string' ? await readFile(asset) : asset.text
				});
			}
		}
	};
}
