// What `expert train` sends: its options (or a manifest's fields) as the trainer's job request, typed from the
// request schema; a base model or init adapter given as a folder is served by the in-process trainer from there.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ExpertError } from '../lib/errors.ts';
import { parseManifest } from '../lib/experts/manifest.ts';
import type { JobRequestInput } from '../lib/trainer-api/job-request.ts';

export interface TrainOptions {
	name?: string;
	manifest?: string;
	dataset: string;
	baseModel: string;
	method: string;
	initAdapter?: string;
	r: number;
	alpha?: number;
	dropout: number;
	targetModules: string[];
	epochs: number;
	lr: number;
	batchSize: number;
	gradAccum: number;
	maxSeqLen: number;
	seed: number;
	beta: number;
	maxSteps?: number;
	checkpointEvery: number;
	evalFraction: number;
	device: string;
	nproc: number;
	nnodes: number;
	nodeRank: number;
	masterAddr?: string;
	masterPort?: number;
	gradientCheckpointing: boolean;
	packageVersion: string;
	description: string;
	capabilities: string[];
	requires: string[];
	stackExperts: string[];
	stackDropout: number;
	loadOrder: number;
	keywords: string[];
	priority: number;
	output?: string;
	force?: boolean;
	trainer?: string;
	token?: string;
	tokenFile?: string;
	dataDir: string;
	python?: string;
	json?: boolean;
	lossCurve?: string;
}

/** A base model given as a folder is served by name from its parent folder (in-process trainer only). */
export function baseModelReference(value: string): { name: string; root?: string } {
	if (existsSync(path.join(value, 'config.json')) && statSync(value).isDirectory()) {
		return { name: path.basename(path.resolve(value)), root: path.dirname(path.resolve(value)) };
	}
	return { name: value };
}

/** An init adapter given as a package folder is sent as its absolute path, found by the in-process trainer
 * through the folder's parent (added to its expert roots); otherwise the value is a name@version. */
export function initAdapterReference(value: string): { reference: string; root?: string } {
	if (existsSync(path.join(value, 'manifest.json')) && statSync(value).isDirectory()) {
		return { reference: path.resolve(value), root: path.dirname(path.resolve(value)) };
	}
	return { reference: value };
}

/** --manifest: name, version, description, capabilities, constraints and routing come from that manifest. */
export function withManifestFields(options: TrainOptions): TrainOptions & { name: string } {
	if (!options.manifest) {
		if (!options.name)
			throw new ExpertError('bad-option', "give --name (or --manifest with the expert's manifest.json)");
		return { ...options, name: options.name };
	}
	if (!existsSync(options.manifest))
		throw new ExpertError('missing-file', `--manifest ${options.manifest} does not exist`);
	const manifest = parseManifest(readFileSync(options.manifest, 'utf8'), options.manifest);
	if (options.name && options.name !== manifest.name)
		throw new ExpertError('bad-option', `--name ${options.name} differs from the manifest's name ${manifest.name}`);
	return {
		...options,
		name: manifest.name,
		packageVersion: manifest.version,
		description: manifest.description,
		capabilities: manifest.capabilities,
		requires: manifest.constraints.requires,
		loadOrder: manifest.constraints.load_order,
		keywords: manifest.routing.keywords,
		priority: manifest.routing.priority
	};
}

/** The request's `distributed` field, when the options ask for more than one process or name a node. */
function distributedFields(options: TrainOptions): Pick<JobRequestInput, 'distributed'> {
	const { nproc, nnodes, nodeRank, masterAddr, masterPort } = options;
	if (nproc === 1 && nnodes === 1 && nodeRank === 0 && masterAddr === undefined && masterPort === undefined) return {};
	return {
		distributed: {
			nproc_per_node: nproc,
			nnodes,
			node_rank: nodeRank,
			...(masterAddr === undefined ? {} : { master_addr: masterAddr }),
			...(masterPort === undefined ? {} : { master_port: masterPort })
		}
	};
}

export function jobBody(
	options: TrainOptions & { name: string },
	baseModelName: string,
	initAdapter: string | undefined
): JobRequestInput {
	if (!existsSync(options.dataset))
		throw new ExpertError('missing-file', `--dataset ${options.dataset} does not exist`);
	return {
		name: options.name,
		base_model: baseModelName,
		dataset: { content: readFileSync(options.dataset, 'utf8'), name: path.basename(options.dataset) },
		method: options.method === 'dpo' ? 'dpo' : 'sft',
		...(initAdapter === undefined ? {} : { init_adapter: initAdapter }),
		r: options.r,
		...(options.alpha === undefined ? {} : { alpha: options.alpha }),
		dropout: options.dropout,
		target_modules: options.targetModules,
		epochs: options.epochs,
		lr: options.lr,
		batch_size: options.batchSize,
		grad_accum: options.gradAccum,
		max_seq_len: options.maxSeqLen,
		seed: options.seed,
		beta: options.beta,
		...(options.maxSteps === undefined ? {} : { max_steps: options.maxSteps }),
		checkpoint_every: options.checkpointEvery,
		eval_fraction: options.evalFraction,
		device: options.device as JobRequestInput['device'],
		...distributedFields(options),
		gradient_checkpointing: options.gradientCheckpointing,
		...(options.stackExperts.length > 0
			? { stack_experts: options.stackExperts, stack_dropout: options.stackDropout }
			: {}),
		manifest: {
			version: options.packageVersion,
			description: options.description,
			capabilities: options.capabilities,
			constraints: { load_order: options.loadOrder, requires: options.requires },
			routing: { keywords: options.keywords, priority: options.priority }
		}
	};
}
