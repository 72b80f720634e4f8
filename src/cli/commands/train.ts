// `expert train`: submits a training job to a trainer (or to one started in-process), shows its
// progress, then downloads and unpacks the trained expert package into --output.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ExpertError } from '../../lib/errors.ts';
import { lossCurveSvg, type LossPoint } from '../../lib/pretrain/loss-curve-svg.ts';
import { unpackArtifact } from '../../lib/trainer-api/artifact-unpack-fs.ts';
import { cancelJob, downloadArtifact, followJob, submitJob } from '../../lib/trainer-api/trainer-client.ts';
import { printJson } from '../run-cli.ts';
import { resolveToken } from '../token-option.ts';
import { addTrainOptions } from '../train-options.ts';
import { progressReporter } from '../train-progress.ts';
import {
	baseModelReference,
	initAdapterReference,
	jobBody,
	withManifestFields,
	type TrainOptions
} from '../train-request.ts';

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
	addTrainOptions(
		program
			.command('train')
			.description(
				'Train a LoRA expert (SFT or DPO) on a JSONL dataset and write its package (starts a local trainer unless --trainer is given).'
			)
	).action((options: TrainOptions) => train(options));
}
