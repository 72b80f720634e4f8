// The options of `expert generate`: the prompt and chat template, sampling, stop strings, the grammar the output
// follows (JSON, a JSON schema, Cypher; or what the experts declare), and JSON output for scripts.
import { Command, Option } from 'commander';
import { OUTPUT_FORMATS, type OutputFormat } from '../lib/experts/manifest.ts';
import type { ModelCommandOptions } from './commands/model-options.ts';
import { checkedNumberOption, integerOption } from './numeric-option.ts';

export interface GenerateCommandOptions extends ModelCommandOptions {
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

export function generateCommand(): Command {
	return new Command('generate')
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
}
