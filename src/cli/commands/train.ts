// `expert train`: submits a training job to a trainer (or to one started in-process), shows its
// progress, then downloads and unpacks the trained expert package into --output.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import { ExpertError } from '../../lib/errors.ts';
import { parseManifest } from '../../lib/experts/manifest.ts';
import { lossCurveSvg, type LossPoint } from '../../lib/pretrain/loss-curve-svg.ts';
import type { TrainerEvent } from '../../trainer/client.ts';
import type { TrainerServer } from '../../trainer/server.ts';
import { integerOption, numberOption } from '../numeric-option.ts';
import { printJson } from '../run-cli.ts';
import { resolveToken, TOKEN_OPTION_HELP } from '../token-option.ts';

const list = (value: string) =>
	value
		.split(',')
		.map((item) => item.trim())
		.filter(Boolean);

interface TrainOptions {
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
function baseModelReference(value: string): { name: string; root?: string } {
	if (existsSync(path.join(value, 'config.json')) && statSync(value).isDirectory()) {
		return { name: path.basename(path.resolve(value)), root: path.dirname(path.resolve(value)) };
	}
	return { name: value };
}

/** An init adapter given as a package folder is sent as its absolute path, found by the in-process trainer
 * through the folder's parent (added to its expert roots); otherwise the value is a name@version. */
function initAdapterReference(value: string): { reference: string; root?: string } {
	if (existsSync(path.join(value, 'manifest.json')) && statSync(value).isDirectory()) {
		return { reference: path.resolve(value), root: path.dirname(path.resolve(value)) };
	}
	return { reference: value };
}

/** --manifest: name, version, description, capabilities, constraints and routing come from that manifest. */
function withManifestFields(options: TrainOptions): TrainOptions & { name: string } {
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

function jobBody(
	options: TrainOptions & { name: string },
	baseModelName: string,
	initAdapter: string | undefined
): Record<string, unknown> {
	if (!existsSync(options.dataset))
		throw new ExpertError('missing-file', `--dataset ${options.dataset} does not exist`);
	return {
		name: options.name,
		base_model: baseModelName,
		dataset: { content: readFileSync(options.dataset, 'utf8'), name: path.basename(options.dataset) },
		method: options.method === 'lora' ? 'sft' : options.method,
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
		device: options.device,
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

/** Without a terminal (a log file, CI), a plain progress line at most this often. */
const LOG_EVERY_MS = 10_000;

/** Progress on stderr (a bar on a terminal, plain lines otherwise), so --json's stdout stays one document. */
function progressReporter(): (event: TrainerEvent) => void {
	const bar = process.stderr.isTTY
		? new SingleBar({
				format: 'training [{bar}] {value}/{total} steps | loss {loss} | {speed} tok/s | eta {eta_s}s',
				stream: process.stderr,
				hideCursor: true
			})
		: null;
	let started = false;
	let total = 0;
	let lastLogged = 0;
	return (event) => {
		const data = event.data;
		const fields = {
			loss: Number(data.loss).toFixed(4),
			speed: String(data.tokens_per_s ?? '-'),
			eta_s: String(data.eta_s ?? '-')
		};
		if (event.type === 'started' && !started) {
			started = true;
			total = Number(data.total_steps);
			if (bar) bar.start(total, Number(data.resumed_from_step ?? 0), { loss: '-', speed: '-', eta_s: '-' });
			else
				process.stderr.write(
					`training: ${total} steps on ${String(data.device ?? '?')}${data.resumed_from_step ? `, resuming at step ${String(data.resumed_from_step)}` : ''}\n`
				);
		} else if (event.type === 'step') {
			const step = Number(data.step);
			if (bar) bar.update(step, fields);
			else if (step === total || step === 1 || Date.now() - lastLogged >= LOG_EVERY_MS) {
				lastLogged = Date.now();
				process.stderr.write(
					`training: step ${step}/${total}, loss ${fields.loss}, ${fields.speed} tok/s, eta ${fields.eta_s} s\n`
				);
			}
		} else if (['done', 'failed', 'cancelled'].includes(event.type) && started) {
			bar?.stop();
		}
	};
}

async function train(given: TrainOptions): Promise<void> {
	const options = withManifestFields(given);
	const base = baseModelReference(options.baseModel);
	if (base.root && options.trainer)
		throw new ExpertError('bad-option', '--base-model must be a model name when --trainer is remote');
	const init = options.initAdapter === undefined ? undefined : initAdapterReference(options.initAdapter);
	if (init?.root && options.trainer)
		throw new ExpertError('bad-option', '--init-adapter must be a name@version when --trainer is remote');
	const body = jobBody(options, base.name, init?.reference);
	const [{ TrainerClient }, { startTrainerServer }] = await Promise.all([
		import('../../trainer/client.ts'),
		import('../../trainer/server.ts')
	]);
	let local: TrainerServer | null = null;
	if (!options.trainer) {
		local = await startTrainerServer({
			dataDir: options.dataDir,
			port: 0,
			python: options.python,
			modelRoots: base.root ? [base.root] : [],
			expertRoots: init?.root ? [init.root] : []
		});
	}
	const client = new TrainerClient(options.trainer ?? local!.url, resolveToken(options));
	let jobId: string | null = null;
	const cancelOnInterrupt = () =>
		void (jobId ? client.cancel(jobId).catch(() => undefined) : local?.close().then(() => process.exit(130)));
	process.on('SIGINT', cancelOnInterrupt); // Ctrl-C cancels the job on the trainer, then reports it as cancelled
	try {
		const job = await client.submit(body);
		jobId = job.id;
		const losses: LossPoint[] = [];
		const report = progressReporter();
		const last = await client.follow(job.id, (event) => {
			if (event.type === 'step' && typeof event.data.tokens === 'number')
				losses.push({ tokens: event.data.tokens, loss: Number(event.data.loss) });
			report(event);
		});
		if (last?.type !== 'done') {
			if (last?.type === 'cancelled')
				throw new ExpertError('training-cancelled', `training ${options.name} was cancelled`);
			const reason = last?.type === 'failed' ? String(last.data.message) : 'the event stream ended early';
			throw new ExpertError('training-failed', `training ${options.name} failed: ${reason}`);
		}
		const output = options.output ?? path.join('experts', String(last.data.package ?? `${options.name}-v1`));
		const files = await client.downloadPackage(job.id, output, Boolean(options.force));
		const drawCurve = options.lossCurve !== undefined && losses.length >= 2;
		if (drawCurve) {
			await mkdir(path.dirname(path.resolve(options.lossCurve!)), { recursive: true });
			await writeFile(options.lossCurve!, lossCurveSvg(losses, `${options.name}: training loss per step`));
		} else if (options.lossCurve)
			process.stderr.write(`warning: no loss curve written to ${options.lossCurve}: fewer than two steps reported\n`);
		const summary = {
			job: job.id,
			output,
			files,
			metrics: last.data,
			...(drawCurve ? { lossCurve: options.lossCurve } : {})
		};
		if (options.json) printJson(summary);
		else {
			const { first_loss, final_loss, tokens_per_s, device } = last.data;
			process.stdout.write(
				`trained ${options.name} on ${device}: loss ${Number(first_loss).toFixed(4)} -> ${Number(final_loss).toFixed(4)}, ${tokens_per_s} tok/s; package in ${output}\n`
			);
		}
	} finally {
		process.off('SIGINT', cancelOnInterrupt);
		await local?.close();
	}
}

export function registerTrainCommand(program: Command): void {
	program
		.command('train')
		.description(
			'Train a LoRA expert (SFT or DPO) on a JSONL dataset and write its package (starts a local trainer unless --trainer is given).'
		)
		.option('--name <name>', 'expert name (lower-case, digits, dashes); required unless --manifest')
		.option(
			'--manifest <file>',
			'take name, version, description, capabilities, requires, load order and routing from this manifest.json'
		)
		.requiredOption(
			'--dataset <file>',
			'JSONL: chat {messages} or {instruction, input?, output} records for sft; {prompt, chosen, rejected} for dpo'
		)
		.requiredOption(
			'--base-model <name|dir>',
			'base model: a name the trainer knows, or (local trainer) an HF model folder'
		)
		.addOption(
			new Option('--method <method>', 'sft (supervised LoRA; "lora" means the same, as the seed writes it) or dpo')
				.choices(['sft', 'lora', 'dpo'])
				.default('sft')
		)
		.option(
			'--init-adapter <dir|name@version>',
			"start from this expert package's adapter (same base, r, alpha, target modules), e.g. DPO after SFT; for dpo it is also the reference policy. A folder needs the local trainer"
		)
		.option('--r <n>', 'LoRA rank', integerOption(1), 16)
		.option('--alpha <n>', 'LoRA alpha (default 2r)', numberOption)
		.option('--dropout <p>', 'LoRA dropout', numberOption, 0.05)
		.option(
			'--target-modules <list>',
			'comma-separated projections (q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj)',
			list,
			['q_proj', 'v_proj']
		)
		.option('--epochs <n>', 'passes over the dataset', integerOption(1), 3)
		.option('--lr <x>', 'peak learning rate (AdamW, cosine schedule with warmup)', numberOption, 2e-4)
		.option('--batch-size <n>', 'packed rows (sft) or pairs (dpo) per micro-batch', integerOption(1), 4)
		.option('--grad-accum <n>', 'micro-batches per optimizer step', integerOption(1), 1)
		.option('--max-seq-len <n>', 'longest packed row in tokens', integerOption(8), 512)
		.option('--seed <n>', 'random seed', integerOption(0), 0)
		.option('--beta <x>', 'DPO beta', numberOption, 0.1)
		.option('--max-steps <n>', 'stop after this many optimizer steps', integerOption(1))
		.option('--checkpoint-every <n>', 'save a resumable checkpoint every n steps', integerOption(1), 50)
		.option('--eval-fraction <x>', 'share of the data held out for eval events', numberOption, 0)
		.option('--device <auto|cpu|cuda>', 'where the worker trains', 'auto')
		.option(
			'--no-gradient-checkpointing',
			'keep activations instead of recomputing them (faster on a GPU with memory to spare)'
		)
		.option('--package-version <semver>', 'version written into the manifest', '1.0.0')
		.option('--description <text>', 'manifest description', '')
		.option('--capabilities <list>', 'comma-separated manifest capabilities', list, [])
		.option('--requires <list>', 'comma-separated dependencies (name@range), trained on top of, frozen', list, [])
		.option(
			'--stack-experts <list>',
			'stack dropout: comma-separated experts (name@range) stacked under the one trained, each step a random subset with random weights in [0.5, 1.5], so stacking them later does not break it',
			list,
			[]
		)
		.option('--stack-dropout <p>', 'probability that a --stack-experts expert is left out of a step', numberOption, 0.5)
		.option('--load-order <n>', 'manifest constraints.load_order', integerOption(0), 0)
		.option('--keywords <list>', 'comma-separated routing keywords', list, [])
		.option('--priority <x>', 'routing priority in [0, 1]', numberOption, 0.5)
		.option('--output <dir>', 'package folder to write (default experts/<name>-v<major>)')
		.option('--force', 'replace --output if it exists')
		.option('--trainer <url>', 'trainer service URL (default: start one in-process)')
		.option('--token <token>', `--trainer's ${TOKEN_OPTION_HELP.token}`)
		.option('--token-file <file>', TOKEN_OPTION_HELP.tokenFile)
		.option('--data-dir <dir>', 'data dir of the in-process trainer', path.join(tmpdir(), 'expert-trainer'))
		.option('--python <path>', 'interpreter of the in-process trainer (default: $EXPERT_PYTHON or /usr/bin/python3)')
		.option('--loss-curve <file.svg>', 'also draw the training loss per step (raw and moving average) into this SVG')
		.option('--json', 'print the result (job id, output folder, metrics) as JSON instead of a progress bar')
		.action((options: TrainOptions) => train(options));
}
