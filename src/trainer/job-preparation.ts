// Turns a validated job request into a self-contained job folder: the dataset copy, the tokenized
// examples (tokens.json), the worker's settings (job.json), the weights it starts from if any
// (init_adapter.safetensors) and the package plan (plan.json: manifest, adapter_config and provenance
// metadata to write once training is done). Bad input throws ExpertError.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { ExpertError } from '../lib/errors.ts';
import { parseAdapterConfig, type AdapterConfig } from '../lib/experts/adapter.ts';
import { parseManifest, splitRequirement, type ExpertManifest } from '../lib/experts/manifest.ts';
import { findBaseModel, type BaseModelInfo } from './base-models.ts';
import { resolveDatasetPath, type DataDirLayout } from './data-dir.ts';
import { resolveDependencies, scanKnownExperts, type FrozenDependency, type KnownExpert } from './dependencies.ts';
import { checkDistributed } from './distributed-checks.ts';
import { resolveInitAdapter, type InitAdapter } from './init-adapter.ts';
import type { JobRequest } from '../lib/trainer-api/job-request.ts';
import { loadChatTokenizer, tokenizeRecords, type TokenizedExample } from './tokenize-records.ts';
import { parseTrainingRecords } from './training-records.ts';

export interface TrainerPaths {
	layout: DataDirLayout;
	/** Folders holding base models by name (the data dir's models/ first). */
	modelRoots: string[];
	/** Folders holding expert packages that jobs may depend on (the data dir's packages/ first). */
	expertRoots: string[];
	threads: number;
	/** The interpreter the worker runs with (asked how many GPUs torch sees). */
	python: string;
}

export interface PackagePlan {
	manifest: ExpertManifest;
	adapterConfig: AdapterConfig;
	metadata: Record<string, unknown>;
	/** Folder name of the package: <name>-v<major>. */
	folder: string;
}

/** The init adapter's weights, copied into the job folder (job.json names the file; the worker reads it from there). */
const INIT_ADAPTER_FILE = 'init_adapter.safetensors';

function readDataset(request: JobRequest, layout: DataDirLayout): { text: string; name: string } {
	if ('content' in request.dataset) return { text: request.dataset.content, name: request.dataset.name };
	const file = resolveDatasetPath(layout, request.dataset.path);
	return { text: readFileSync(file, 'utf8'), name: path.basename(file) };
}

/** Rejects data that cannot teach anything once truncated to max_seq_len, naming the record. */
function checkFitsSequenceLength(examples: TokenizedExample[], maxSeqLen: number): void {
	const learnable = examples.filter((example) => {
		if ('loss_mask' in example) return example.loss_mask.slice(1, maxSeqLen).includes(1);
		if (example.prompt_ids.length >= maxSeqLen) {
			throw new ExpertError(
				'bad-dataset',
				`dataset record ${examples.indexOf(example) + 1}: the prompt alone fills max_seq_len (${maxSeqLen} tokens)`
			);
		}
		return true;
	});
	if (learnable.length === 0)
		throw new ExpertError('bad-dataset', `dataset: no record has response tokens within max_seq_len (${maxSeqLen})`);
}

function writeJson(file: string, value: unknown): void {
	writeFileSync(file, JSON.stringify(value));
}

/** Examples serialized per write into tokens.json ({"examples": [...]}), so a large dataset never blocks the event loop in one stringify. */
const EXAMPLES_PER_WRITE = 500;

async function writeExamples(file: string, examples: TokenizedExample[]): Promise<void> {
	const handle = await open(file, 'w');
	try {
		await handle.write('{"examples":[');
		for (let start = 0; start < examples.length; start += EXAMPLES_PER_WRITE) {
			const slice = examples.slice(start, start + EXAMPLES_PER_WRITE).map((example) => JSON.stringify(example));
			await handle.write(`${start > 0 ? ',' : ''}${slice.join(',')}`);
		}
		await handle.write(']}');
	} finally {
		await handle.close();
	}
}

/** The request's training settings (what the worker needs and the metadata records), alpha resolved. */
function trainingSettings(request: JobRequest) {
	const {
		dataset: _dataset,
		manifest: _manifest,
		name: _name,
		base_model: _baseModel,
		init_adapter: _initAdapter,
		...settings
	} = request;
	return { ...settings, alpha: request.alpha ?? 2 * request.r };
}

/** What to write once training is done; manifest and adapter_config are validated now, so a bad field
 * is a 400 at submission rather than a failure after training. */
function packagePlan(
	request: JobRequest,
	base: BaseModelInfo,
	dataset: { text: string; name: string },
	records: number,
	dependencies: FrozenDependency[],
	stack: FrozenDependency[],
	initAdapter: InitAdapter | null
): PackagePlan {
	const { name, manifest: fields } = request;
	const settings = trainingSettings(request);
	const manifest = {
		name,
		...fields,
		description:
			fields.description || `${name}: LoRA expert (${request.method.toUpperCase()}, r=${request.r}) on ${base.name}`,
		base_model: { name: base.name, hidden_size: base.hidden_size, num_hidden_layers: base.num_hidden_layers }
	};
	const adapterConfig = {
		peft_type: 'LORA',
		r: request.r,
		lora_alpha: settings.alpha,
		lora_dropout: request.dropout,
		target_modules: request.target_modules,
		base_model_name_or_path: base.name,
		task_type: 'CAUSAL_LM',
		bias: 'none',
		fan_in_fan_out: false
	};
	return {
		folder: `${name}-v${fields.version.split('.')[0]}`,
		manifest: parseManifest(JSON.stringify(manifest), 'manifest'),
		adapterConfig: parseAdapterConfig(JSON.stringify(adapterConfig), 'adapter_config'),
		metadata: {
			dataset: { name: dataset.name, sha256: createHash('sha256').update(dataset.text).digest('hex'), records },
			method: request.method,
			hyperparameters: settings,
			base_model: {
				name: base.name,
				model_type: base.model_type,
				hidden_size: base.hidden_size,
				num_hidden_layers: base.num_hidden_layers
			},
			dependencies: dependencies.map((dependency) => ({ name: dependency.name, version: dependency.version })),
			...(stack.length > 0
				? { stack_experts: stack.map((expert) => ({ name: expert.name, version: expert.version })) }
				: {}),
			...(initAdapter
				? { init_adapter: { name: initAdapter.name, version: initAdapter.version, sha256: initAdapter.sha256 } }
				: {})
		}
	};
}

/** The stack-dropout experts: `stack_experts` with their requirements, less the expert itself and its
 * dependencies (always active); an expert of the same name as the one trained is refused. */
function stackExperts(
	request: JobRequest,
	known: KnownExpert[],
	base: BaseModelInfo,
	dependencies: FrozenDependency[]
): Array<FrozenDependency & { requires: string[] }> {
	if (request.stack_experts.length === 0) return [];
	const resolved = resolveDependencies(request.stack_experts, known, base, 'stack_experts');
	if (resolved.some((expert) => expert.name === request.name)) {
		throw new ExpertError(
			'bad-job-request',
			`stack_experts: ${request.name} is the expert being trained; it cannot also be stacked under itself`
		);
	}
	const stack = resolved.filter((expert) => !dependencies.some((dependency) => dependency.name === expert.name));
	const inStack = new Set(stack.map((expert) => expert.name));
	// The worker switches a stack expert's requirements on whenever it switches the expert on, as loading would.
	return stack.map((expert) => {
		const manifest = known.find(
			(candidate) => candidate.manifest.name === expert.name && candidate.manifest.version === expert.version
		)!.manifest;
		return {
			...expert,
			requires: manifest.constraints.requires
				.map((requirement) => splitRequirement(requirement).name)
				.filter((name) => inStack.has(name))
		};
	});
}

/** Validates and tokenizes everything, then writes the job folder atomically (temp folder + rename). */
export async function prepareJobFolder(jobId: string, request: JobRequest, paths: TrainerPaths): Promise<void> {
	const dataset = readDataset(request, paths.layout);
	const records = await parseTrainingRecords(dataset.text, request.method, `dataset ${dataset.name}`);
	const base = findBaseModel(request.base_model, paths.modelRoots);
	const known = await scanKnownExperts(paths.expertRoots);
	const dependencies = resolveDependencies(request.manifest.constraints.requires, known, base);
	const settings = trainingSettings(request);
	const initAdapter =
		request.init_adapter === undefined
			? null
			: resolveInitAdapter(request.init_adapter, known, paths.expertRoots, settings, base);
	if (initAdapter && dependencies.some((dependency) => dependency.name === initAdapter.name)) {
		throw new ExpertError(
			'init-adapter-mismatch',
			`init_adapter: ${initAdapter.name} is also a dependency (manifest.constraints.requires); it would count twice`
		);
	}
	await checkDistributed(request, paths.threads, paths.python);
	const stack = stackExperts(request, known, base, dependencies);
	const plan = packagePlan(request, base, dataset, records.records.length, dependencies, stack, initAdapter);
	const examples = await tokenizeRecords(await loadChatTokenizer(base.dir), records);
	checkFitsSequenceLength(examples, request.max_seq_len);
	const worker = {
		...settings,
		base_model_dir: base.dir,
		dependencies,
		stack,
		threads: Math.max(1, Math.floor(paths.threads / (request.distributed?.nproc_per_node ?? 1))),
		ranks: request.distributed?.nproc_per_node ?? 1,
		...(request.distributed && request.distributed.nnodes > 1
			? {
					nodes: {
						count: request.distributed.nnodes,
						rank: request.distributed.node_rank,
						master_addr: request.distributed.master_addr,
						master_port: request.distributed.master_port
					}
				}
			: {}),
		...(request.distributed?.backend ? { backend: request.distributed.backend } : {}),
		...(initAdapter
			? { init_adapter: { name: initAdapter.name, version: initAdapter.version, weights: INIT_ADAPTER_FILE } }
			: {})
	};
	const jobDir = path.join(paths.layout.jobs, jobId);
	const temp = `${jobDir}.tmp`;
	rmSync(temp, { recursive: true, force: true });
	mkdirSync(temp, { recursive: true });
	writeFileSync(path.join(temp, 'dataset.jsonl'), dataset.text);
	await writeExamples(path.join(temp, 'tokens.json'), examples);
	writeJson(path.join(temp, 'job.json'), worker);
	writeJson(path.join(temp, 'plan.json'), plan);
	if (initAdapter) writeFileSync(path.join(temp, INIT_ADAPTER_FILE), initAdapter.weights);
	renameSync(temp, jobDir);
}
