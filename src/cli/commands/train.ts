// `expert train`: submits a training job to a trainer (or to one started in-process), shows its
// progress, then downloads and unpacks the trained expert package into --output.
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { ExpertError } from '../../lib/errors.ts';
import { lossCurveSvg, type LossPoint } from '../../lib/pretrain/loss-curve-svg.ts';
import { unpackArtifact } from '../../lib/trainer-api/artifact-unpack-fs.ts';
import { cancelJob, downloadArtifact, followJob, submitJob } from '../../lib/trainer-api/trainer-client.ts';
import { integerOption, numberOption } from '../numeric-option.ts';
import { printJson } from '../run-cli.ts';
import { resolveToken, TOKEN_OPTION_HELP } from '../token-option.ts';
import { progressReporter } from '../train-progress.ts';
import {
	baseModelReference,
	initAdapterReference,
	jobBody,
	withManifestFields,
	type TrainOptions
} from '../train-request.ts';

const list = (value: string) =>
	value
		.split(',')
		.map((item) => item.trim())
		.filter(Boolean);

async function train(given: TrainOptions): Promise<void> {
	const options = withManifestFields(given);
	const base = baseModelReference(options.baseModel);
	if (base.root && options.trainer)
		throw new ExpertError('bad-option', '--base-model must be a model name when --trainer is remote');
	const init = options.initAdapter === undefined ? undefined : initAdapterReference(options.initAdapter);
	if (init?.root && options.trainer)
		throw new ExpertError('bad-option', '--init-adapter must be a name@version when --trainer is remote');
	const body = jobBody(options, base.name, init?.reference);
	const { startTrainerServer } = await import('../../trainer/server.ts');
	const local = options.trainer
		? null
		: await startTrainerServer({
				dataDir: options.dataDir,
				port: 0,
				python: options.python,
				modelRoots: base.root ? [base.root] : [],
				expertRoots: init?.root ? [init.root] : []
			});
	const trainer = { url: options.trainer ?? local!.url, token: resolveToken(options) ?? '' };
	let jobId: string | null = null;
	const cancelOnInterrupt = () =>
		void (jobId ? cancelJob(trainer, jobId).catch(() => undefined) : local?.close().then(() => process.exit(130)));
	process.on('SIGINT', cancelOnInterrupt); // Ctrl-C cancels the job on the trainer, then reports it as cancelled
	try {
		const job = await submitJob(trainer, body);
		jobId = job.id;
		const losses: LossPoint[] = [];
		const report = progressReporter();
		const last = await followJob(trainer, job.id, (event) => {
			if (event.type === 'step' && typeof event.data.tokens === 'number')
				losses.push({ tokens: event.data.tokens, loss: Number(event.data.loss) });
			report(event);
		});
		if (last?.type === 'cancelled')
			throw new ExpertError('training-cancelled', `training ${options.name} was cancelled`);
		if (last?.type !== 'done') {
			const reason = last?.type === 'failed' ? String(last.data.message) : 'the event stream ended early';
			throw new ExpertError('training-failed', `training ${options.name} failed: ${reason}`);
		}
		const output = options.output ?? path.join('experts', String(last.data.package ?? `${options.name}-v1`));
		const files = await unpackArtifact(await downloadArtifact(trainer, job.id), output, Boolean(options.force));
		const lossCurve = await writeLossCurve(options.lossCurve, losses, `${options.name}: training loss per step`);
		const { first_loss, final_loss, tokens_per_s, device } = last.data;
		if (options.json)
			printJson({ job: job.id, output, files, metrics: last.data, ...(lossCurve ? { lossCurve } : {}) });
		else
			process.stdout.write(
				`trained ${options.name} on ${device}: loss ${Number(first_loss).toFixed(4)} -> ${Number(final_loss).toFixed(4)}, ${tokens_per_s} tok/s; package in ${output}\n`
			);
	} finally {
		process.off('SIGINT', cancelOnInterrupt);
		await local?.close();
	}
}

/** The loss curve as an SVG file, when asked for and there are two steps to draw; the path written, or null. */
async function writeLossCurve(file: string | undefined, losses: LossPoint[], title: string): Promise<string | null> {
	if (file === undefined) return null;
	if (losses.length < 2) {
		process.stderr.write(`warning: no loss curve written to ${file}: fewer than two steps reported\n`);
		return null;
	}
	await mkdir(path.dirname(path.resolve(file)), { recursive: true });
	await writeFile(file, lossCurveSvg(losses, title));
	return file;
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
