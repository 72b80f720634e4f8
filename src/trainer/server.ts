// The trainer HTTP service (Fastify): POST/GET/DELETE /v1/jobs, SSE progress, artifact download,
// backed by the SQLite job store and a one-at-a-time job runner. Errors are one-line JSON 4xx bodies.
import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { describeError, ExpertError, httpStatusOf, isExpertError, type ErrorCode } from '../lib/errors.ts';
import { checkedAccess, installAccessControl, type RunningServer } from '../lib/http/access-control.ts';
import { artifactPath } from './artifact.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { prepareDataDir } from './data-dir.ts';
import { streamJobEvents } from './event-stream.ts';
import { prepareJobFolder, type TrainerPaths } from './job-preparation.ts';
import { parseJobRequest } from '../lib/trainer-api/job-request.ts';
import { JobRunner } from './job-runner.ts';
import { JobStore, type JobRecord } from './job-store.ts';
import { lastCheckpointStep, workerPython } from './worker-process.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface TrainerServerOptions {
	dataDir: string;
	host?: string;
	/** 0 picks a free port. */
	port?: number;
	token?: string;
	corsOrigins?: string[];
	maxUploadBytes?: number;
	/** Most jobs waiting at once; more are refused with 429. */
	queueLimit?: number;
	python?: string;
	threads?: number;
	/** Extra folders holding base models by name (besides <data dir>/models and the repo's static/models). */
	modelRoots?: string[];
	/** Extra folders holding expert packages (besides <data dir>/packages and the repo's experts/). */
	expertRoots?: string[];
}

export type TrainerServer = RunningServer;

export async function startTrainerServer(options: TrainerServerOptions): Promise<TrainerServer> {
	const access = checkedAccess(options);
	const host = access.host;
	const layout = prepareDataDir(options.dataDir);
	const unlock = lockDataDir(layout.root);
	const paths: TrainerPaths = {
		layout,
		modelRoots: [layout.models, path.join(REPO_ROOT, 'static', 'models'), ...(options.modelRoots ?? [])],
		expertRoots: [layout.packages, path.join(REPO_ROOT, 'experts'), ...(options.expertRoots ?? [])],
		threads: options.threads ?? Math.min(4, availableParallelism()),
		python: workerPython(options.python)
	};
	const queueLimit = options.queueLimit ?? 16;
	const store = new JobStore(layout.database);
	const runner = new JobRunner(store, layout, { python: paths.python, threads: paths.threads });
	const maxUploadBytes = options.maxUploadBytes ?? 32 * 1024 * 1024;
	const app = Fastify({ bodyLimit: maxUploadBytes, logger: false, forceCloseConnections: true });

	app.setErrorHandler((error, _request, reply) => {
		if (isExpertError(error))
			return reply.code(httpStatusOf(error)).send({ error: { code: error.code, message: error.message } });
		const status = (error as { statusCode?: number }).statusCode;
		if (status === 413) {
			return reply.code(413).send({
				error: {
					code: 'upload-too-large' satisfies ErrorCode,
					message: `upload exceeds the ${maxUploadBytes}-byte limit (--max-upload-mb)`
				}
			});
		}
		if (status && status >= 400 && status < 500)
			return reply
				.code(status)
				.send({ error: { code: 'bad-request' satisfies ErrorCode, message: describeError(error) } });
		process.stderr.write(`trainer: internal error: ${(error as Error).stack}\n`);
		return reply
			.code(500)
			.send({ error: { code: 'internal' satisfies ErrorCode, message: 'internal error (see the trainer log)' } });
	});
	installAccessControl(app, access);

	const findJob = (id: string): JobRecord => {
		const job = JOB_ID.test(id) ? store.get(id) : null;
		if (!job) throw new ExpertError('job-not-found', `no job ${id}`);
		return job;
	};

	const checkQueueRoom = () => {
		if (store.countQueued() >= queueLimit)
			throw new ExpertError('queue-full', `the queue is full (${queueLimit} jobs waiting); try later`);
	};

	app.post('/v1/jobs', async (request, reply) => {
		checkQueueRoom();
		const jobRequest = parseJobRequest(request.body);
		const id = randomUUID();
		await prepareJobFolder(id, jobRequest, paths);
		try {
			checkQueueRoom(); // again: other submissions may have filled the queue while this one was tokenized
		} catch (error) {
			rmSync(path.join(layout.jobs, id), { recursive: true, force: true });
			throw error;
		}
		const job = store.insert(id, jobRequest);
		runner.record(id, 'queued', { position: store.countQueued() });
		runner.kick();
		return reply.code(201).send({ job: store.get(job.id) });
	});

	app.get('/v1/jobs', async () => ({ jobs: store.list() }));

	app.get<{ Params: { id: string } }>('/v1/jobs/:id', async (request) => ({ job: findJob(request.params.id) }));

	app.delete<{ Params: { id: string } }>('/v1/jobs/:id', async (request, reply) => {
		const job = findJob(request.params.id);
		if (!runner.cancel(job.id)) throw new ExpertError('job-finished', `job ${job.id} already ended (${job.status})`);
		// a queued job is cancelled at once (200); a running one once its worker has stopped (202, then a `cancelled` event)
		return reply.code(job.status === 'running' ? 202 : 200).send({ job: store.get(job.id) });
	});

	app.get<{ Params: { id: string } }>('/v1/jobs/:id/events', async (request, reply) => {
		const job = findJob(request.params.id);
		const after = Number(request.headers['last-event-id'] ?? 0);
		reply.hijack();
		streamJobEvents(
			reply.raw,
			reply.getHeaders() as Record<string, string>,
			job.id,
			Number.isFinite(after) ? after : 0,
			store,
			runner
		);
	});

	app.get<{ Params: { id: string } }>('/v1/jobs/:id/artifact', async (request, reply) => {
		const job = findJob(request.params.id);
		const file = artifactPath(path.join(layout.jobs, job.id));
		if (job.status !== 'done' || !existsSync(file))
			throw new ExpertError('artifact-not-ready', `job ${job.id} has no artifact (status ${job.status})`);
		const folder = String(job.result?.package ?? job.request.name);
		reply
			.header('content-type', 'application/x-tar')
			.header('content-disposition', `attachment; filename="${folder}.tar"`);
		return reply.send(createReadStream(file));
	});

	app.get('/v1/health', async () => ({ ok: true, running: runner.runningJobId, queued: store.countQueued() }));

	for (const id of store.requeueInterrupted()) {
		runner.record(id, 'interrupted', {
			resumable: true,
			resume_from_step: lastCheckpointStep(path.join(layout.jobs, id))
		});
	}
	let address: string;
	try {
		address = await app.listen({ host, port: options.port ?? 8787 });
	} catch (error) {
		store.close();
		unlock();
		throw new ExpertError(
			'cannot-listen',
			`cannot listen on ${host}:${options.port ?? 8787} (${describeError(error)})`
		);
	}
	runner.kick();
	return {
		url: address,
		app,
		async close() {
			await runner.stop();
			await app.close();
			store.close();
			unlock();
		}
	};
}
