// Vite configuration for the SvelteKit app, and Vitest's for the test suite (unit, integration, e2e).
import { sveltekit } from '@sveltejs/kit/vite';
import path from 'node:path';
import { defaultClientConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import { linguistDataVersions } from './src/lib/classify/linguist-heuristics-fs.ts';
import { appAssetsPlugin } from './src/vite/app-assets-plugin.ts';

export default defineConfig({
	plugins: [
		sveltekit(),
		// onnxruntime-web's runtime files and the built-in experts (EXPERT_BUILTIN_EXPERTS_DIR, default experts/) ship with the app.
		appAssetsPlugin({
			ortDist: path.resolve('node_modules/onnxruntime-web/dist'),
			expertsDir: path.resolve(process.env.EXPERT_BUILTIN_EXPERTS_DIR ?? 'experts')
		})
	],
	// onnxruntime-web's builds that load their .mjs/.wasm from ort.env.wasm.wasmPaths (the ort/ folder above)
	// instead of having Vite emit its own copies of the 28 MB (and, through transformers.js, 27 MB) .wasm files.
	resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
	worker: { format: 'es' },
	// The versions of Linguist's data the app's evidence chain is built from (linguist-heuristics-web.ts).
	define: { __LINGUIST_DATA_VERSIONS__: JSON.stringify(linguistDataVersions()) },
	// Bundle SvelteKit's own `cookie` (0.6) into the prerender server: the hoisted top-level copy is fastify's 2.x.
	ssr: { noExternal: ['cookie'] },
	test: {
		include: ['tests/**/*.test.ts'],
		globalSetup: ['tests/global-setup.ts'],
		environment: 'node',
		pool: 'forks',
		maxWorkers: 2,
		testTimeout: 120_000,
		hookTimeout: 300_000
	}
});
