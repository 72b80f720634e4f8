// `expert generate`: generates text from a prompt with experts stacked (chat template unless --raw),
// streaming to stdout; decoding follows a grammar (JSON, a JSON schema, Cypher) when asked or declared.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { ExpertError } from '../../lib/errors.ts';
import { generate } from '../../lib/runtime/generate.ts';
import { constraintName, declaredOutputFormat, outputConstraint } from '../../lib/constrain/output-constraint.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../../lib/experts/manifest.ts';
import { readPackageManifests } from '../../lib/experts/package-fs.ts';
import { printJson } from '../run-cli.ts';
import { addModelOptions, loadModelWithExperts, type ModelCommandOptions } from './model-options.ts';

interface GenerateCommandOptions extends ModelCommandOptions {
	prompt: string;
	system?: string;
	raw?: boolean;
	maxTokens: string;
	temperature: string;
	topK?: string;
	topP?: string;
	seed: string;
	repetitionPenalty: string;
	stop: string[];
	jsonSchema?: string;
	format?: OutputFormat;
	json?: boolean;
}

/** The output format the active experts declare in their manifests, else text. */
async function declaredFormat(expertsDir: string, expertIds: string[]): Promise<OutputFormat> {
	const active = new Set(expertIds.map((id) => id.slice(0, id.lastIndexOf(':'))));
	const { packages } = await readPackageManifests(expertsDir).catch(() => ({ packages: [] }));
	return declaredOutputFormat(
		packages
			.filter(({ manifest }) => active.has(`${manifest.name}@${manifest.version}`))
			.map(({ manifest }) => ({ name: manifest.name, format: manifest.output?.format }))
	);
}

function numberOption(
	name: string,
	text: string | undefined,
	check: (n: number) => boolean,
	rule: string
): number | undefined {
	if (text === undefined) return undefined;
	const value = Number(text);
	if (!Number.isFinite(value) || !check(value))
		throw new ExpertError('bad-option', `--${name} must be ${rule}, got ${text}`);
	return value;
}

async function readSchema(file: string): Promise<unknown> {
	const text = await readFile(file, 'utf8').catch(() => {
		throw new ExpertError('missing-file', `${file}: cannot be read (missing?)`);
	});
	try {
		return JSON.parse(text);
	} catch {
		throw new ExpertError('bad-json', `${file}: is not valid JSON`);
	}
}

export function registerGenerateCommand(program: Command): void {
	const command = new Command('generate')
		.description('generate text with the base model and stacked experts (streams to stdout)')
		.requiredOption('--prompt <text>', 'the user message (or the raw prompt with --raw)')
		.option('--system <text>', 'system message for the chat template')
		.option('--raw', 'feed --prompt as is, without the chat template')
		.option('--max-tokens <n>', 'most tokens to generate', '128')
		.option('--temperature <t>', '0 = greedy', '0')
		.option('--top-k <k>', 'sample among the k most likely tokens')
		.option('--top-p <p>', 'nucleus sampling probability mass')
		.option('--seed <n>', 'random seed for sampling', '0')
		.option('--repetition-penalty <p>', 'penalty (> 1) for tokens already present', '1')
		.addOption(new Option('--stop <text...>', 'stop strings').default([]))
		.option(
			'--json-schema <file>',
			'constrain the output to JSON that validates against this schema (type, enum, const, properties, required, items, min/max items and length, anyOf, $ref)'
		)
		.addOption(
			new Option(
				'--format <format>',
				'constrain decoding: json = any JSON value (RFC 8259), cypher = a Cypher query (MATCH … RETURN, CREATE, MERGE, SET, DELETE, …), text = free; default: what the active experts declare in their manifest output field, else text'
			).choices([...OUTPUT_FORMATS])
		)
		.option('--json', 'print one JSON object {text, finish_reason, tokens, timings} instead of streaming');
	addModelOptions(command).action(async (options: GenerateCommandOptions) => {
		const maxTokens = numberOption(
			'max-tokens',
			options.maxTokens,
			(n) => Number.isInteger(n) && n > 0,
			'a positive integer'
		)!;
		const sampling = {
			temperature: numberOption('temperature', options.temperature, (n) => n >= 0, 'a number >= 0'),
			topK: numberOption('top-k', options.topK, (n) => Number.isInteger(n) && n > 0, 'a positive integer'),
			topP: numberOption('top-p', options.topP, (n) => n > 0 && n <= 1, 'in (0, 1]'),
			seed: numberOption('seed', options.seed, Number.isInteger, 'an integer'),
			repetitionPenalty: numberOption(
				'repetition-penalty',
				options.repetitionPenalty,
				(n) => n > 0,
				'a positive number'
			)
		};
		const schema = options.jsonSchema ? await readSchema(options.jsonSchema) : undefined;
		if (schema !== undefined) outputConstraint({ schema }, [], maxTokens); // a schema it cannot follow fails before the model loads
		const { runtime, tokenizer, expertIds } = await loadModelWithExperts(options);
		const format =
			options.format ?? (schema === undefined ? await declaredFormat(options.expertsDir, expertIds) : 'text');
		const grammar = outputConstraint({ format, schema }, tokenizer.tokenTexts(), maxTokens);
		const messages = [
			...(options.system ? [{ role: 'system' as const, content: options.system }] : []),
			{ role: 'user' as const, content: options.prompt }
		];
		const promptIds = tokenizer.encode(options.raw ? options.prompt : tokenizer.chatPrompt(messages));
		if (promptIds.length === 0) throw new ExpertError('empty-input', '--prompt encodes to no tokens');
		const abort = new AbortController();
		process.once('SIGINT', () => abort.abort());
		const result = await generate(runtime, tokenizer.decode, promptIds, {
			...sampling,
			maxTokens,
			stop: options.stop,
			constraint: grammar?.start(),
			signal: abort.signal,
			onText: options.json ? undefined : (text) => process.stdout.write(text)
		});
		if (options.json) {
			printJson({
				text: result.text,
				finish_reason: result.finishReason,
				constraint: constraintName(grammar),
				experts: expertIds,
				prompt_tokens: result.promptTokens,
				tokens: result.tokenIds,
				prefill_ms: Math.round(result.prefillMs * 10) / 10,
				decode_ms: Math.round(result.decodeMs * 10) / 10
			});
		} else process.stdout.write('\n');
	});
	program.addCommand(command);
}
