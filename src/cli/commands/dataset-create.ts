// `expert-gen dataset create`: generates a dataset offline from the corpora or through a network
// provider, resuming an interrupted run, and prints counts, tokens and estimated cost.
import { Command } from 'commander';
import { ExpertError } from '../../lib/errors.ts';
import { DOMAINS, FORMATS, parseDifficulty, parseDomain, parseFormat } from '../../lib/datasets/formats.ts';
import { createDatasetFile, type CreateDatasetFileResult } from '../../lib/datasets/create-dataset-fs.ts';
import { PROVIDER_NAMES } from '../../lib/datasets/providers/registry.ts';
import { printJson } from '../run-cli.ts';

interface CreateOptions {
	domain: string;
	task?: string;
	count: string;
	provider: string;
	difficulty: string;
	format: string;
	seed: string;
	concurrency: string;
	batchSize: string;
	output: string;
	model?: string;
	corpora?: string;
	timeout: string;
	maxRetries: string;
	json?: boolean;
}

function integerOption(name: string, value: string, min: number): number {
	const parsed = Number(value);
	if (!/^-?\d+$/.test(value.trim()) || parsed < min)
		throw new ExpertError('bad-option', `--${name} must be an integer >= ${min} (got ${value})`);
	return parsed;
}

function printSummary(result: CreateDatasetFileResult): void {
	const cost =
		result.usage.costUsd === null
			? 'unknown (no list price for this model)'
			: `$${result.usage.costUsd.toFixed(4)} (estimate)`;
	process.stdout.write(
		`${result.output}: ${result.existing + result.written} records (${result.written} new, ${result.existing} kept from before; ${result.duplicatesSkipped} duplicates skipped)\n` +
			(result.provider === 'offline'
				? ''
				: `${result.provider}: ${result.requests} requests, ${result.retries} retries, ${result.rejectedCompletions} unusable completions; tokens in ${result.usage.inputTokens}, out ${result.usage.outputTokens}; cost ${cost}\n`)
	);
}

export function registerDatasetCreateCommand(group: Command): void {
	group
		.command('create')
		.description(
			'generate a JSONL dataset (offline from ../shared/corpora, or through a model provider); re-running resumes'
		)
		.requiredOption('--domain <domain>', `one of: ${DOMAINS.join(', ')}`)
		.option(
			'--task <text>',
			'what to ask for (providers); offline: a generator task name, or text naming some of its tasks (all of them when it names none)'
		)
		.requiredOption('--count <n>', 'number of unique records the file must hold')
		.requiredOption('--provider <name>', `one of: ${PROVIDER_NAMES.join(', ')}`)
		.option('--difficulty <level>', 'easy, medium, hard or mixed', 'mixed')
		.option('--format <format>', `one of: ${FORMATS.join(', ')}`, 'instruction')
		.option('--seed <n>', 'random seed (offline output is identical for a seed)', '1')
		.option('--concurrency <n>', 'parallel provider requests', '4')
		.option('--batch-size <n>', 'examples asked for per provider request', '5')
		.requiredOption('--output <file>', 'JSONL file to write (e.g. datasets/english.jsonl)')
		.option('--model <name>', "provider model (default: the provider's default model)")
		.option('--corpora <dir>', 'corpora folder for offline generation (default: ../shared/corpora)')
		.option('--timeout <ms>', 'per-request timeout in milliseconds', '120000')
		.option('--max-retries <n>', 'retries per request on 429, 5xx, timeouts and dropped connections', '6')
		.option('--json', 'print the summary as JSON')
		.action(async (options: CreateOptions) => {
			const result = await createDatasetFile({
				domain: parseDomain(options.domain),
				task: options.task,
				count: integerOption('count', options.count, 1),
				provider: options.provider,
				difficulty: parseDifficulty(options.difficulty),
				format: parseFormat(options.format),
				seed: integerOption('seed', options.seed, 0),
				concurrency: integerOption('concurrency', options.concurrency, 1),
				batchSize: integerOption('batch-size', options.batchSize, 1),
				output: options.output,
				model: options.model,
				corporaDir: options.corpora,
				retry: {
					timeoutMs: integerOption('timeout', options.timeout, 1),
					maxRetries: integerOption('max-retries', options.maxRetries, 0)
				},
				onNote: (note) => process.stderr.write(`note: ${note}\n`)
			});
			if (options.json) printJson(result);
			else printSummary(result);
		});
}
