// `dataset create` in Node: checks every input before touching the disk, loads corpora (offline) or
// builds the network provider, runs the engine into the resumable output and names the file when done.
import { ExpertError } from '../errors.ts';
import {
	createOfflineDataset,
	offlineTasksFor,
	createProviderDataset,
	type CreateSummary,
	type DatasetRequest
} from './create-dataset.ts';
import { DatasetOutput } from './dataset-file-fs.ts';
import { loadCorpora } from './corpus-fs.ts';
import { loadCodeFactExtractor } from './code-facts-fs.ts';
import { createOfflineGenerator, domainNeedsCodeParser } from './offline-generators.ts';
import { checkProviderName, createNetworkProvider, isOfflineProvider } from './providers/registry.ts';
import type { RetryPolicy } from './providers/http-retry.ts';
import type { ExampleProvider } from './providers/provider.ts';

export interface CreateDatasetFileOptions extends DatasetRequest {
	provider: string;
	output: string;
	concurrency: number;
	batchSize: number;
	model?: string;
	corporaDir?: string;
	retry?: Partial<RetryPolicy>;
	env?: Record<string, string | undefined>;
	/** Hears one-line notes for the user (how a free-text --task was read). */
	onNote?: (note: string) => void;
}

export interface CreateDatasetFileResult extends CreateSummary {
	output: string;
	provider: string;
}

export async function createDatasetFile(options: CreateDatasetFileOptions): Promise<CreateDatasetFileResult> {
	if (!Number.isInteger(options.count) || options.count <= 0)
		throw new ExpertError('bad-count', `--count must be a positive integer (got ${options.count})`);
	checkProviderName(options.provider);
	const provider: ExampleProvider | null = isOfflineProvider(options.provider)
		? null
		: createNetworkProvider(options.provider, options.env ?? process.env, {
				model: options.model,
				retry: options.retry
			});
	const generator = provider
		? null
		: createOfflineGenerator(
				options.domain,
				await loadCorpora(options.corporaDir),
				domainNeedsCodeParser(options.domain) ? await loadCodeFactExtractor() : null
			);
	if (generator && options.task !== undefined) {
		const { tasks, matched } = offlineTasksFor(options.task, generator);
		if (!matched)
			options.onNote?.(
				`--task "${options.task}" names none of the offline ${options.domain} tasks (${generator.tasks.join(', ')}): generating all of them`
			);
		else if (!generator.tasks.includes(options.task))
			options.onNote?.(`--task "${options.task}": generating the offline ${options.domain} tasks ${tasks.join(', ')}`);
	}

	const output = await DatasetOutput.open(options.output);
	const foreign = output.existing.find((r) => r.domain !== options.domain);
	if (foreign)
		throw new ExpertError(
			'output-mismatch',
			`${options.output} already holds ${foreign.domain} records; use another --output`
		);
	const existingIds = new Set(output.existing.map((r) => r.id));
	const request: DatasetRequest = {
		domain: options.domain,
		task: options.task,
		count: options.count,
		format: options.format,
		difficulty: options.difficulty,
		seed: options.seed
	};
	let summary: CreateSummary;
	try {
		summary = generator
			? await createOfflineDataset(request, generator, existingIds, output)
			: await createProviderDataset(request, provider!, existingIds, output, {
					concurrency: options.concurrency,
					batchSize: options.batchSize
				});
	} catch (error) {
		if (error instanceof ExpertError) {
			throw new ExpertError(
				error.code,
				`${error.message}; records so far are kept in ${output.partialPath}, run the same command again to resume`
			);
		}
		throw error;
	}
	await output.complete();
	return { ...summary, output: options.output, provider: provider?.name ?? 'offline' };
}
