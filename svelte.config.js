// SvelteKit configuration: a fully static build (adapter-static) so the app, the worker and the
// embedded model can be served from any static host and precached for offline use.
import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html' }),
		files: { lib: 'src/lib', routes: 'src/routes', serviceWorker: 'src/service-worker.ts' }
	}
};

export default config;
