// Vitest's global setup: gives every test file of one run the same scratch name for the shared web-app
// build (tests/fixtures/app-build.ts builds it once, on first use), and removes that build when the run ends.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
	export interface ProvidedContext {
		appBuildDir: string;
	}
}

export default function setup(project: TestProject) {
	const dir = path.resolve(import.meta.dirname, '..', '.tmp', `app-e2e-${process.pid}-${Date.now()}`);
	project.provide('appBuildDir', dir);
	return async () => {
		await rm(dir, { recursive: true, force: true });
		await rm(`${dir}.lock`, { recursive: true, force: true });
	};
}
