// Checks a job's `distributed` field against this trainer's host before anything is stored: no more CPU processes
// than its threads, no more CUDA processes than torch sees GPUs, NCCL only on CUDA, and on the first of several
// nodes a rendezvous port that is free here.
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { ExpertError } from '../lib/errors.ts';
import type { JobRequest } from '../lib/trainer-api/job-request.ts';

const run = promisify(execFile);
const deviceCounts = new Map<string, Promise<number>>();

/** How many CUDA devices torch sees through this interpreter (asked once per interpreter; 0 when it cannot say). */
function cudaDeviceCount(python: string): Promise<number> {
	let count = deviceCounts.get(python);
	if (!count) {
		count = run(python, ['-c', 'import torch; print(torch.cuda.device_count())'], { timeout: 60_000 })
			.then(({ stdout }) => Number.parseInt(stdout.trim(), 10) || 0)
			.catch(() => 0);
		deviceCounts.set(python, count);
	}
	return count;
}

/** Whether something on this host listens on the port already (any address). */
function portTaken(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const probe = createServer();
		probe.once('error', () => resolve(true));
		probe.listen({ port, exclusive: true }, () => probe.close(() => resolve(false)));
	});
}

export async function checkDistributed(request: JobRequest, threads: number, python: string): Promise<void> {
	const wanted = request.distributed;
	if (!wanted) return;
	const bad = (field: string, message: string) =>
		new ExpertError('bad-job-request', `distributed.${field}: ${message}`);
	if (wanted.backend === 'nccl' && request.device !== 'cuda')
		throw bad('backend', 'nccl needs device cuda; gloo runs on CPU');
	if (request.device === 'cuda') {
		const devices = await cudaDeviceCount(python);
		if (wanted.nproc_per_node > devices)
			throw bad(
				'nproc_per_node',
				`${wanted.nproc_per_node} processes on CUDA, but torch sees ${devices} GPU(s) on this trainer`
			);
	} else if (wanted.nproc_per_node > 1 && wanted.nproc_per_node > threads) {
		throw bad(
			'nproc_per_node',
			`${wanted.nproc_per_node} processes on CPU, but this trainer runs ${threads} threads (--threads)`
		);
	}
	if (wanted.nnodes > 1 && wanted.node_rank === 0 && (await portTaken(wanted.master_port!)))
		throw bad('master_port', `port ${wanted.master_port} is in use on this host (the first node): pick a free one`);
}
