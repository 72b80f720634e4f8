// A ClassificationSession in Node: the base model from a folder or URL on onnxruntime-node, the expert packages
// and sets of a folder, Linguist's data from its packages; packages and set files that could not be read come
// back to be reported.
import { ExpertError } from '../errors.ts';
import type { WeightPrecision } from '../model/quantize.ts';
import type { NodeBackend } from '../runtime/host-fs.ts';
import { loadBaseModel } from '../runtime/load-fs.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import { ClassificationSession } from './classification-session.ts';
import { openExpertFolder, type ExpertFolder } from './expert-loader-fs.ts';
import { nodeLinguistHeuristics } from './linguist-heuristics-fs.ts';

export interface SessionOptions {
	/** Base model folder or http(s) URL. */
	model: string;
	expertsDir: string;
	precision: WeightPrecision;
	backend: NodeBackend;
	threads?: number;
}

export interface OpenedSession {
	session: ClassificationSession;
	/** The session's base model (its forward counts, for benchmarks). */
	runtime: ModelRuntime;
	/** The expert folder as read: registry, sets, loaders. */
	experts: ExpertFolder;
	skippedPackages: ExpertFolder['skipped'];
	skippedSets: ExpertFolder['skippedSets'];
}

export async function openClassificationSession(options: SessionOptions): Promise<OpenedSession> {
	const { runtime, tokenizer } = await loadBaseModel(options.model, options).catch((error) => {
		if (options.backend === 'webgpu' && /adapter/i.test(String(error?.message))) {
			throw new ExpertError(
				'no-webgpu',
				'no WebGPU adapter on this machine (onnxruntime-node found none); use --backend cpu, or the web app'
			);
		}
		throw error;
	});
	const experts = await openExpertFolder(options.expertsDir, runtime.config);
	const session = new ClassificationSession(
		runtime,
		tokenizer,
		experts.registry,
		experts.loadAdapter,
		nodeLinguistHeuristics(),
		experts.sets,
		experts.loadLanguageHead
	);
	return { session, runtime, experts, skippedPackages: experts.skipped, skippedSets: experts.skippedSets };
}
