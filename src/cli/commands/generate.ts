// `expert generate`: generates text from a prompt with experts stacked (chat template unless --raw),
// streaming to stdout; decoding follows a grammar (JSON, a JSON schema, Cypher) when asked or declared.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { ExpertError } from '../../lib/errors.ts';
import { generate } from '../../lib/runtime/generate.ts';
import { declaredOutputFormatFs } from '../../lib/constrain/declared-format-fs.ts';
import { constraintName, outputConstraint } from '../../lib/constrain/output-constraint.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../../lib/experts/manifest.ts';
import { checkedNumberOption, integerOption } from '../numeric-option.ts';
import { printJson } from '../run-cli.ts';
import { addModelOptions, loadModelWithExperts, type ModelCommandOptions } from './model-options.ts';

interface GenerateCommandOptions extends ModelCommandOptions {
	prompt: string;
	system?: string;
	raw?: boolean;
	maxTokens: number;
	temperature: number;
	topK?: number;
	topP?: number;
	seed: number;
	repetitionPenalty: number;
	stop: string[];
	jsonSchema?: string;
	format?: OutputFormat;
	json?: boolean;
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
		.option('--max-tokens <n>', 'most tokens to generate', integerOption(1), 128)
		.option(
			'--temperature <t>',
			'0 = greedy',
			checkedNumberOption((n) => n >= 0, '>= 0'),
			0
		)
		.option('--top-k <k>', 'sample among the k most likely tokens', integerOption(1))
		.option(
			'--top-p <p>',
			'nucleus sampling probability mass',
			checkedNumberOption((n) => n > 0 && n <= 1, 'in (0, 1]')
		)
		.option('--seed <n>', 'random seed for sampling', integerOption(0), 0)
		.option(
			'--repetition-penalty <p>',
			'penalty (> 1) for tokens already present',
			checkedNumberOption((n) => n > 0, '> 0'),
			1
		)
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
		const { maxTokens, temperature, topK, topP, seed, repetitionPenalty } = options;
		const sampling = { temperature, topK, topP, seed, repetitionPenalty };
		const schema = options.jsonSchema ? await readSchema(options.jsonSchema) : undefined;
		if (schema !== undefined) outputConstraint({ schema }, [], maxTokens); // a schema it cannot follow fails before the model loads
		const { runtime, tokenizer, expertIds } = await loadModelWithExperts(options);
		const format =
			options.format ?? (schema === undefined ? await declaredOutputFormatFs(options.expertsDir, expertIds) : 'text');
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
