// The layer rules of docs/ARCHITECTURE.md, read from every import in src/: a lib folder imports only its own
// layer and those below, lib never imports an app, browser code never imports a Node-only module, no cycle.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');
const LAYERS = [
	['(root)'],
	['experts'],
	['model'],
	['runtime'],
	['constrain'],
	['classify'],
	['datasets'],
	['generation'],
	['tune'],
	['pretrain'],
	['eval'],
	['http', 'trainer-api', 'app-server'],
	['worker'],
	['ui'],
	['bench']
];
const APPS = ['cli', 'trainer', 'serve', 'routes', 'vite', 'service-worker.ts'];
const BROWSER = ['lib/worker', 'lib/ui', 'routes', 'service-worker.ts'];
const layerOf = new Map(LAYERS.flatMap((folders, rank) => folders.map((folder) => [folder, rank])));

const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
	.filter((file) => /\.(ts|svelte|js)$/.test(file))
	.map((file) => file.split(path.sep).join('/'));

/** `lib/<folder>` (or `lib/(root)`) for a lib module, the app's name otherwise. */
function unitOf(file: string): string {
	const parts = file.split('/');
	if (parts[0] !== 'lib') return parts[0];
	return parts.length > 2 ? `lib/${parts[1]}` : 'lib/(root)';
}

/** Every module a file imports (static, dynamic, re-exports): src-relative paths, or `node:…`. */
function importsOf(file: string): string[] {
	const text = readFileSync(path.join(SRC, file), 'utf8');
	const specifiers = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]);
	return specifiers.flatMap((specifier) => {
		if (specifier.startsWith('node:')) return [specifier];
		if (specifier.startsWith('$lib/')) return [`lib/${specifier.slice(5)}`];
		if (specifier.startsWith('.')) return [path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier))];
		return [];
	});
}

const imports = new Map(files.map((file) => [file, importsOf(file)]));

describe('import rules (docs/ARCHITECTURE.md)', () => {
	it('knows every lib folder', () => {
		const folders = new Set(files.filter((file) => file.startsWith('lib/')).map((file) => unitOf(file).slice(4)));
		expect([...folders].filter((folder) => !layerOf.has(folder))).toEqual([]);
	});

	it('has lib import only its own layer and those below, and never an app', () => {
		const broken: string[] = [];
		for (const [file, targets] of imports) {
			const from = unitOf(file);
			if (!from.startsWith('lib/')) continue;
			for (const target of targets.filter((t) => !t.startsWith('node:'))) {
				const to = unitOf(target);
				if (!to.startsWith('lib/')) broken.push(`${file} → ${target} (an app)`);
				else if (layerOf.get(to.slice(4))! > layerOf.get(from.slice(4))!)
					broken.push(`${file} → ${target} (a higher layer)`);
			}
		}
		expect(broken).toEqual([]);
	});

	it('keeps Node-only modules (-fs.ts, node:) out of browser code', () => {
		const broken = [...imports].flatMap(([file, targets]) =>
			BROWSER.some((root) => file === root || file.startsWith(`${root}/`))
				? targets.filter((t) => t.startsWith('node:') || /-fs(\.ts)?$/.test(t)).map((t) => `${file} → ${t}`)
				: []
		);
		expect(broken).toEqual([]);
	});

	it('names every app the rules know', () => {
		expect(files.map(unitOf).filter((unit) => !unit.startsWith('lib/') && !APPS.includes(unit))).toEqual([]);
	});

	it('has no import cycle', () => {
		const graph = new Map([...imports].map(([file, targets]) => [file, targets.filter((t) => imports.has(t))]));
		const state = new Map<string, 'open' | 'done'>();
		const cycles: string[] = [];
		const visit = (file: string, trail: string[]) => {
			state.set(file, 'open');
			for (const next of graph.get(file) ?? []) {
				if (state.get(next) === 'open') cycles.push([...trail.slice(trail.indexOf(next)), next].join(' → '));
				else if (!state.has(next)) visit(next, [...trail, next]);
			}
			state.set(file, 'done');
		};
		for (const file of graph.keys()) if (!state.has(file)) visit(file, [file]);
		expect(cycles).toEqual([]);
	});
});
