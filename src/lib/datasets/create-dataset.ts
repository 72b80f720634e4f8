// Produces dataset records until a requested count of unique records exists: from an offline generator
// (sequential, deterministic for a seed) or from a network provider (concurrent batches). Duplicates
// (same normalized content) are skipped; records already in the output count toward the total (resume).
import { ExpertError } from '../errors.ts';
import {
	DIFFICULTIES,
	toRecord,
	type DatasetFormat,
	type DatasetRecord,
	type Difficulty,
	type DifficultyRequest,
	type Domain,
	type Example
} from './formats.ts';
import { SeededRandom } from './hashing.ts';
import type { OfflineGenerator } from './generators/generator.ts';
import type { ExampleProvider, ProviderUsage } from './providers/provider.ts';

export interface DatasetRequest {
	domain: Domain;
	/** Free-text task for providers; for offline generators, a task name or text naming some (offlineTasksFor). */
	task?: string;
	count: number;
	format: DatasetFormat;
	difficulty: DifficultyRequest;
	seed: number;
}

/** Where new records go (the file writer in Node, anything else in the browser). */
export interface RecordSink {
	append(records: DatasetRecord[]): Promise<void>;
}

export interface CreateSummary {
	requested: number;
	existing: number;
	written: number;
	duplicatesSkipped: number;
	/** Provider completions that were not valid JSON or whose examples failed validation. */
	rejectedCompletions: number;
	requests: number;
	retries: number;
	usage: ProviderUsage;
}

function checkCount(count: number): void {
	if (!Number.isInteger(count) || count <= 0)
		throw new ExpertError('bad-count', `--count must be a positive integer (got ${count})`);
}

function difficultyFor(rng: SeededRandom, request: DifficultyRequest): Difficulty {
	return request === 'mixed' ? rng.pick(DIFFICULTIES) : request;
}

function emptySummary(request: DatasetRequest, existing: number): CreateSummary {
	return {
		requested: request.count,
		existing,
		written: 0,
		duplicatesSkipped: 0,
		rejectedCompletions: 0,
		requests: 0,
		retries: 0,
		usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 }
	};
}

/**
 * The generator tasks a --task asks for: its exact name, else every task whose name's words (e.g. "list" and
 * "keys" of list-keys) the free text mentions ("parse, validate, and extract fields" → validate, extract), else
 * all of them (`matched` false: the caller says so). No --task: all tasks.
 */
export function offlineTasksFor(
	task: string | undefined,
	generator: OfflineGenerator
): { tasks: readonly string[]; matched: boolean } {
	if (task === undefined || generator.tasks.includes(task))
		return { tasks: task === undefined ? generator.tasks : [task], matched: true };
	const words = new Set(
		task
			.toLowerCase()
			.split(/[^a-z0-9]+/)
			.filter(Boolean)
	);
	const mentioned = (word: string) =>
		words.has(word) ||
		[...words].some((given) => given.length >= 4 && (given.startsWith(word) || word.startsWith(given)));
	const tasks = generator.tasks.filter((name) => name.split('-').every(mentioned));
	return tasks.length > 0 ? { tasks, matched: true } : { tasks: generator.tasks, matched: false };
}

const OFFLINE_FLUSH_EVERY = 500;
/** An offline generator that gives nothing new this many times in a row is exhausted. */
const OFFLINE_ATTEMPTS_WITHOUT_NEW = 20_000;

/**
 * Offline: replays the seeded sequence from the start, skipping records the output already holds, so an
 * interrupted run resumed later yields the same file as an uninterrupted one.
 */
export async function createOfflineDataset(
	request: DatasetRequest,
	generator: OfflineGenerator,
	existingIds: ReadonlySet<string>,
	sink: RecordSink
): Promise<CreateSummary> {
	checkCount(request.count);
	const { tasks } = offlineTasksFor(request.task, generator);
	const summary = emptySummary(request, existingIds.size);
	const rng = new SeededRandom(
		`${request.seed}:${request.domain}:${request.format}:${request.difficulty}:${request.task ?? '*'}`
	);
	const seen = new Set<string>();
	let pending: DatasetRecord[] = [];
	const total = () => existingIds.size + summary.written + pending.length;
	for (let attemptsWithoutNew = 0; total() < request.count; attemptsWithoutNew++) {
		if (attemptsWithoutNew >= OFFLINE_ATTEMPTS_WITHOUT_NEW) {
			throw new ExpertError(
				'generator-exhausted',
				`offline ${request.domain} produced only ${total()} unique records (asked for ${request.count}): ${OFFLINE_ATTEMPTS_WITHOUT_NEW} attempts in a row gave nothing new; lower --count`
			);
		}
		const example = generator.generate(rng, difficultyFor(rng, request.difficulty));
		if (request.task !== undefined && !tasks.includes(example.task)) continue;
		const record = toRecord(example, request.domain, request.format);
		if (seen.has(record.id)) {
			summary.duplicatesSkipped++;
			continue;
		}
		seen.add(record.id);
		attemptsWithoutNew = -1;
		if (existingIds.has(record.id)) continue;
		pending.push(record);
		if (pending.length >= OFFLINE_FLUSH_EVERY) {
			await sink.append(pending);
			summary.written += pending.length;
			pending = [];
		}
	}
	await sink.append(pending);
	summary.written += pending.length;
	return summary;
}

export interface ProviderRunOptions {
	concurrency: number;
	/** Examples asked for per request. */
	batchSize: number;
}

/** Network provider: concurrent batch requests until `count` unique records exist (existing ones included). */
export async function createProviderDataset(
	request: DatasetRequest,
	provider: ExampleProvider,
	existingIds: ReadonlySet<string>,
	sink: RecordSink,
	options: ProviderRunOptions
): Promise<CreateSummary> {
	checkCount(request.count);
	if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
		throw new ExpertError('bad-concurrency', `--concurrency must be a positive integer (got ${options.concurrency})`);
	const summary = emptySummary(request, existingIds.size);
	const ids = new Set(existingIds);
	const rng = new SeededRandom(request.seed);
	const maxRequests = Math.ceil(request.count / options.batchSize) * 4 + 10;
	let inFlightExamples = 0;

	const accept = async (examples: Example[]): Promise<void> => {
		const fresh: DatasetRecord[] = [];
		for (const example of examples) {
			if (ids.size >= request.count) break;
			const record = toRecord(example, request.domain, request.format);
			if (ids.has(record.id)) {
				summary.duplicatesSkipped++;
				continue;
			}
			ids.add(record.id);
			fresh.push(record);
		}
		if (fresh.length > 0) {
			await sink.append(fresh);
			summary.written += fresh.length;
		}
	};

	let failure: unknown = null;
	const worker = async (): Promise<void> => {
		while (
			failure === null &&
			(ids.size + inFlightExamples < request.count || (ids.size < request.count && inFlightExamples === 0))
		) {
			if (summary.requests >= maxRequests) {
				throw new ExpertError(
					'provider-exhausted',
					`${provider.name} gave only ${ids.size} unique valid records after ${summary.requests} requests (asked for ${request.count})`
				);
			}
			const wanted = Math.min(options.batchSize, request.count - ids.size - inFlightExamples);
			const difficulty = difficultyFor(rng, request.difficulty);
			summary.requests++;
			inFlightExamples += wanted;
			try {
				const batch = await provider.generateBatch({
					domain: request.domain,
					task: request.task,
					difficulty,
					format: request.format,
					count: wanted
				});
				summary.retries += batch.retries;
				summary.usage.inputTokens += batch.usage.inputTokens;
				summary.usage.outputTokens += batch.usage.outputTokens;
				summary.usage.costUsd =
					summary.usage.costUsd === null || batch.usage.costUsd === null
						? null
						: summary.usage.costUsd + batch.usage.costUsd;
				if (batch.examples === null) summary.rejectedCompletions++;
				else if (failure === null)
					await accept(batch.examples.map((e) => ({ ...e, difficulty, source: provider.name })));
			} finally {
				inFlightExamples -= wanted;
			}
		}
	};
	await Promise.all(
		Array.from({ length: Math.min(options.concurrency, request.count) }, () =>
			worker().catch((error: unknown) => {
				failure ??= error;
			})
		)
	);
	if (failure !== null) throw failure;
	return summary;
}
