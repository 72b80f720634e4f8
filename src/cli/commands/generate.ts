// `expert generate`: generates text from a prompt with experts stacked (chat template unless --raw),
// streaming to stdout; decoding follows a grammar (JSON, a JSON schema, Cypher) when asked or declared.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ExpertError } from '../../lib/errors.ts';
import { generate } from '../../lib/runtime/generate.ts';
import { declaredOutputFormatFs } from '../../lib/constrain/declared-format-fs.ts';
import { constraintName, outputConstraint } from '../../lib/constrain/output-constraint.ts';
import { generateCommand, type GenerateCommandOptions } from '../generate-options.ts';
import { printJson } from '../run-cli.ts';
import { addModelOptions, loadModelWithExperts } from './model-options.ts';

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
	const command = generateCommand();
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
