// Node entry points of the runtime: load a base model (folder or URL; weights + tokenizer) on onnxruntime-node and
// resolve expert references (a package folder, or a name under the experts root with its dependencies) to
// checked adapters.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ExpertError } from '../errors.ts';
import { readModelFolder } from '../model/model-folder.ts';
import type { WeightPrecision } from '../model/quantize.ts';
import { readPackageManifests } from '../experts/package-fs.ts';
import { resolveLoadPlan } from '../experts/resolver.ts';
import { readAdapter } from './adapter-files-fs.ts';
import type { ExpertRef } from './expert-refs.ts';
import { createNodeHost, type NodeBackend } from './host-fs.ts';
import type { ActiveExpert } from './lora-stack.ts';
import { ModelRuntime, type LoadedModel } from './model-runtime.ts';
import { loadModelFromUrl } from './load-web.ts';
import { loadTokenizer } from './tokenizer.ts';

/** Loads a base model from a local folder, or over HTTP when `location` is an http(s) URL (e.g. a hub
 * "resolve/main" URL the user gives explicitly). */
export async function loadBaseModel(
	location: string,
	options: { precision: WeightPrecision; threads?: number; withoutLora?: boolean; backend?: NodeBackend }
): Promise<LoadedModel> {
	const host = createNodeHost({ threads: options.threads, backend: options.backend });
	if (/^https?:\/\//.test(location)) return loadModelFromUrl(host, location, options);
	const folder = await readModelFolder(location);
	const runtime = await ModelRuntime.load(host, folder.config, folder.weightFiles, options, folder.configSource);
	return { runtime, tokenizer: await loadTokenizer(location) };
}

async function isDirectory(p: string): Promise<boolean> {
	return stat(p).then(
		(s) => s.isDirectory(),
		() => false
	);
}

/** A folder path as given, else `<expertsRoot>/<name>-v<major>` with the highest major. */
export async function resolveExpertDir(ref: string, expertsRoot: string): Promise<string> {
	if (await isDirectory(ref)) return ref;
	const entries = await readdir(expertsRoot).catch(() => [] as string[]);
	const majors = entries
		.map((entry) => /^(.+)-v(\d+)$/.exec(entry))
		.filter((m): m is RegExpExecArray => m !== null && m[1] === ref)
		.sort((a, b) => Number(b[2]) - Number(a[2]));
	if (majors.length === 0)
		throw new ExpertError('unknown-expert', `expert ${ref}: no folder ${ref} and no ${expertsRoot}/${ref}-v<major>`);
	return path.join(expertsRoot, majors[0][0]);
}

/**
 * Reads and checks every referenced adapter before anything is activated. A name brings the experts it
 * requires (the resolver's load plan over `expertsRoot`, dependencies at weight 1), as classify does; a
 * package folder path is loaded alone, at its weight.
 */
export async function loadExperts(
	runtime: ModelRuntime,
	refs: ExpertRef[],
	expertsRoot: string
): Promise<ActiveExpert[]> {
	const folders: ExpertRef[] = [];
	const named: ExpertRef[] = [];
	for (const ref of refs) ((await isDirectory(ref.ref)) ? folders : named).push(ref);
	const located: Array<{ dir: string; weight: number }> = [];
	if (named.length > 0) {
		const { packages } = await readPackageManifests(expertsRoot).catch(() => ({ packages: [] }));
		for (const { ref } of named)
			if (!packages.some(({ manifest }) => manifest.name === ref)) await resolveExpertDir(ref, expertsRoot); // the one-line "no such expert"
		const plan = resolveLoadPlan(
			named.map(({ ref }) => ref),
			packages.map(({ manifest }) => manifest)
		).plan;
		for (const step of plan) {
			const dir = packages.find(
				({ manifest }) => manifest.name === step.name && manifest.version === step.version
			)!.dir;
			located.push({ dir, weight: named.find(({ ref }) => ref === step.name)?.weight ?? 1 });
		}
	}
	for (const { ref, weight } of folders) located.push({ dir: ref, weight });
	const experts: ActiveExpert[] = [];
	for (const { dir, weight } of located) experts.push({ adapter: await readAdapter(runtime.config, dir), weight });
	return experts;
}
