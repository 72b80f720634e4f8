// The Train page's connection to a trainer: connects and keeps polling the job list (so a trainer that
// stops is reported and, once back, reattached), follows one job's event stream from its last event on
// (loss, ETA, tokens/s, the final summary), cancels jobs, and installs finished ones into this browser,
// automatically for jobs this browser submitted, even when they finished while the page was away.
import type { LossPoint } from './loss-chart.ts';
import {
	installedJobs,
	rememberInstalled,
	rememberSubmitted,
	saveConnection,
	submittedJobs
} from './trainer-memory.ts';
import { describeError, type ExpertError } from '../errors.ts';
import type { JobRequestInput } from '../trainer-api/job-request.ts';
import { appWorker } from '../worker/client.ts';
import {
	cancelJob,
	downloadArtifact,
	followJob,
	isUnreachable,
	listJobs,
	submitJob,
	TERMINAL_STATUSES,
	type TrainerConnection,
	type TrainerEvent,
	type TrainerJob
} from '../trainer-api/trainer-client.ts';

const POLL_MS = 2000;

/** The title of a failed connect, by the trainer client's error code (other failures: not reachable). */
const PROBLEM_TITLES: Record<string, string> = {
	'trainer-unauthorized': 'Token refused',
	'unsafe-port': 'Port blocked by the browser'
};

export interface RankView {
	rank: number;
	node: number;
	host: string;
	pid: number;
	tokensPerSecond: number | null;
}

/** The ranks a `started` event lists (a worker alone lists itself). */
function ranksOf(data: Record<string, unknown>): RankView[] {
	const listed = Array.isArray(data.rank_processes) ? (data.rank_processes as Array<Record<string, unknown>>) : [];
	return listed.map((entry) => ({
		rank: Number(entry.rank),
		node: Number(entry.node),
		host: String(entry.host),
		pid: Number(entry.pid),
		tokensPerSecond: null
	}));
}

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting';

export interface FollowedJob {
	id: string;
	name: string;
	status: string;
	totalSteps: number | undefined;
	train: LossPoint[];
	evaluation: LossPoint[];
	lastSeq: number;
	etaSeconds: number | null;
	tokensPerSecond: number | null;
	/** The processes training it (several under torchrun): node, host, pid, and the last step's tokens/s of each. */
	ranks: RankView[];
	/** The `done` event's metrics (final/eval loss, time, device), once the job is done. */
	summary: Record<string, unknown> | null;
	error: string | null;
}

/** Adds or replaces the point for a step (a resumed job sends the steps after its checkpoint again). */
function withPoint(points: LossPoint[], point: LossPoint): LossPoint[] {
	return [...points.filter((existing) => existing.step !== point.step), point].sort((a, b) => a.step - b.step);
}

export class TrainSession {
	state = $state<ConnectionState>('idle');
	/** Why the last connect failed: a title (what kind of problem) and the one-line message. */
	problem = $state<{ title: string; message: string } | null>(null);
	jobs = $state<TrainerJob[]>([]);
	followed = $state<FollowedJob | null>(null);
	/** Job id → what installing it gave ("Installed x@1.0.0 …") or why it failed. */
	installs = $state<Record<string, { ok: boolean; message: string }>>({});
	private connection: TrainerConnection = { url: '', token: '' };
	private timer: ReturnType<typeof setInterval> | null = null;
	private stream: AbortController | null = null;
	private streamLive = false;

	get trainer(): string {
		return this.connection.url;
	}

	async connect(url: string, token: string): Promise<void> {
		this.stop();
		this.connection = { url: url.trim(), token: token.trim() };
		this.state = 'connecting';
		this.problem = null;
		try {
			this.jobs = await listJobs(this.connection);
		} catch (error) {
			this.state = 'idle';
			this.problem = {
				title: PROBLEM_TITLES[(error as ExpertError).code] ?? 'Trainer not reachable',
				message: describeError(error)
			};
			return;
		}
		saveConnection(this.connection.url, this.connection.token);
		this.state = 'connected';
		this.installs = Object.fromEntries(
			Object.entries(installedJobs(this.trainer)).map(([id, key]) => [id, { ok: true, message: `Installed ${key}.` }])
		);
		this.timer = setInterval(() => void this.poll(), POLL_MS);
		await this.afterListing();
		const mine = submittedJobs(this.trainer);
		const resume = [...this.jobs].reverse().find((job) => mine.includes(job.id) && !TERMINAL_STATUSES.has(job.status));
		if (resume) this.follow(resume);
	}

	/** Stops polling and streaming (the page is left); the trainer keeps the jobs. */
	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		this.stream?.abort();
		this.stream = null;
		this.streamLive = false;
	}

	private async poll(): Promise<void> {
		try {
			this.jobs = await listJobs(this.connection);
		} catch (error) {
			if (isUnreachable(error)) this.state = 'reconnecting';
			return;
		}
		this.state = 'connected';
		await this.afterListing();
		const followed = this.followed;
		if (followed && !this.streamLive && !TERMINAL_STATUSES.has(followed.status)) {
			const job = this.jobs.find((candidate) => candidate.id === followed.id);
			if (job) void this.openStream(job.id);
		}
	}

	/** Installs every done job this browser submitted and has not installed (it may have finished while the page was away). */
	private async afterListing(): Promise<void> {
		const mine = submittedJobs(this.trainer);
		for (const job of this.jobs)
			if (job.status === 'done' && mine.includes(job.id) && !this.installs[job.id]) await this.install(job.id);
	}

	async submit(body: JobRequestInput): Promise<void> {
		const job = await submitJob(this.connection, body);
		rememberSubmitted(this.trainer, job.id);
		this.jobs = [...this.jobs, job];
		this.follow(job);
	}

	/** Shows one job: its stream from the first event on (the trainer replays stored ones). */
	follow(job: Pick<TrainerJob, 'id' | 'name' | 'status'>): void {
		this.stream?.abort();
		this.followed = {
			id: job.id,
			name: job.name,
			status: job.status,
			totalSteps: undefined,
			train: [],
			evaluation: [],
			lastSeq: 0,
			etaSeconds: null,
			tokensPerSecond: null,
			ranks: [],
			summary: null,
			error: null
		};
		void this.openStream(job.id);
	}

	private async openStream(jobId: string): Promise<void> {
		const controller = new AbortController();
		this.stream = controller;
		this.streamLive = true;
		const followed = this.followed;
		if (!followed || followed.id !== jobId) return;
		try {
			await followJob(
				this.connection,
				jobId,
				(event) => this.onEvent(followed, event),
				controller.signal,
				followed.lastSeq
			);
		} catch (error) {
			if (controller.signal.aborted) return;
			if (isUnreachable(error)) this.state = 'reconnecting';
			else followed.error = describeError(error);
		} finally {
			if (this.stream === controller) this.streamLive = false;
		}
		// The stream ended: a terminal event, or the trainer went away mid-job (the poll reattaches when it is back).
		if (!TERMINAL_STATUSES.has(followed.status) && !controller.signal.aborted) this.state = 'reconnecting';
	}

	private onEvent(followed: FollowedJob, event: TrainerEvent): void {
		followed.lastSeq = Math.max(followed.lastSeq, event.seq);
		const data = event.data;
		// The list shows a job's end at once, not at the next poll.
		if (TERMINAL_STATUSES.has(event.type))
			this.jobs = this.jobs.map((job) =>
				job.id === followed.id ? { ...job, status: event.type as TrainerJob['status'] } : job
			);
		if (event.type === 'started') {
			followed.status = 'running';
			followed.totalSteps = Number(data.total_steps) || undefined;
			followed.ranks = ranksOf(data);
		} else if (event.type === 'step') {
			followed.status = 'running';
			followed.train = withPoint(followed.train, { step: Number(data.step), loss: Number(data.loss) });
			followed.etaSeconds = typeof data.eta_s === 'number' ? data.eta_s : null;
			followed.tokensPerSecond = typeof data.tokens_per_s === 'number' ? data.tokens_per_s : null;
			const perRank = Array.isArray(data.rank_tokens_per_s) ? (data.rank_tokens_per_s as unknown[]) : [];
			followed.ranks = followed.ranks.map((view) => ({
				...view,
				tokensPerSecond: typeof perRank[view.rank] === 'number' ? (perRank[view.rank] as number) : null
			}));
		} else if (event.type === 'eval')
			followed.evaluation = withPoint(followed.evaluation, { step: Number(data.step), loss: Number(data.loss) });
		else if (event.type === 'interrupted') followed.status = 'interrupted (resumes when the trainer restarts)';
		else if (event.type === 'failed') {
			followed.status = 'failed';
			followed.error = `training failed: ${String(data.message ?? 'no reason given')}`;
		} else if (event.type === 'cancelled') followed.status = 'cancelled';
		else if (event.type === 'done') {
			followed.status = 'done';
			followed.summary = data;
			followed.etaSeconds = 0;
			if (submittedJobs(this.trainer).includes(followed.id) && !this.installs[followed.id])
				void this.install(followed.id);
		}
	}

	async cancel(jobId: string): Promise<void> {
		try {
			const job = await cancelJob(this.connection, jobId);
			this.jobs = this.jobs.map((existing) => (existing.id === jobId ? job : existing));
		} catch (error) {
			this.installs = { ...this.installs, [jobId]: { ok: false, message: describeError(error) } };
		}
	}

	/** Downloads a done job's package and installs it into this browser's expert cache. */
	async install(jobId: string): Promise<void> {
		try {
			const archive = await downloadArtifact(this.connection, jobId);
			const outcome = await appWorker().installExpert(archive, `trainer job ${jobId}`);
			if (outcome.status === 'needs-confirmation') {
				this.installs = {
					...this.installs,
					[jobId]: { ok: false, message: `${outcome.reason}: install the package from the Experts page to confirm` }
				};
				return;
			}
			rememberInstalled(this.trainer, jobId, outcome.expert.key);
			this.installs = {
				...this.installs,
				[jobId]: { ok: true, message: `Installed ${outcome.expert.key} into this browser's expert cache.` }
			};
		} catch (error) {
			this.installs = { ...this.installs, [jobId]: { ok: false, message: `not installed: ${describeError(error)}` } };
		}
	}
}
