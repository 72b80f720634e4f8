// SvelteKit configuration: a fully static build (adapter-static) so the app, the worker and the
// embedded model can be served from any static host and precached for offline use.
import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** EXPERT_APP_BUILD_DIR lets a test build into its own folder (site in <dir>/site, kit's files in <dir>/kit). */
const privateBuild = process.env.EXPERT_APP_BUILD_DIR;
const siteDir = privateBuild ? `${privateBuild}/site` : 'build';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ pages: siteDir, assets: siteDir, fallback: '200.html' }),
		...(privateBuild ? { outDir: `${privateBuild}/kit` } : {}),
		files: { lib: 'src/lib', routes: 'src/routes', serviceWorker: 'src/service-worker.ts' }
	}
};

export default config;
