// Vite configuration for the SvelteKit app, and Vitest's for the test suite (unit, integration, e2e).
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	worker: { format: 'es' },
	// Bundle SvelteKit's own `cookie` (0.6) into the prerender server: the hoisted top-level copy is fastify's 2.x.
	ssr: { noExternal: ['cookie'] },
	test: {
		include: ['tests/**/*.test.ts'],
		environment: 'node',
		pool: 'forks',
		maxWorkers: 2,
		testTimeout: 120_000,
		hookTimeout: 300_000
	}
});
