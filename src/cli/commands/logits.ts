// `expert logits`: the last position's top-20 token ids and logits for a text, with experts stacked;
// the --json output is a stable interface used by external checks.
import { Command } from 'commander';
import { ExpertError } from '../../lib/errors.ts';
import { topTokens } from '../../lib/runtime/sampling.ts';
import { printJson } from '../run-cli.ts';
import { addModelOptions, loadModelWithExperts, type ModelCommandOptions } from './model-options.ts';

interface LogitsOptions extends ModelCommandOptions {
	text: string;
	top: string;
	json?: boolean;
}

export function registerLogitsCommand(program: Command): void {
	const command = new Command('logits')
		.description("print the last position's highest logits for a text (raw, no chat template)")
		.requiredOption('--text <text>', 'input text')
		.option('--top <n>', 'how many token ids to print', '20')
		.option('--json', 'print JSON: {model, experts, precision, input_ids, top: [{id, token, logit}]}');
	addModelOptions(command).action(async (options: LogitsOptions) => {
		const top = Number(options.top);
		if (!Number.isInteger(top) || top < 1)
			throw new ExpertError('bad-option', `--top must be a positive integer, got ${options.top}`);
		const { runtime, tokenizer, expertIds } = await loadModelWithExperts(options);
		const ids = tokenizer.encode(options.text);
		if (ids.length === 0) throw new ExpertError('empty-input', '--text encodes to no tokens');
		const { logits } = await runtime.forward(ids, runtime.emptyCache());
		const last = logits.subarray(logits.length - runtime.config.vocabSize);
		const best = topTokens(last, top).map(({ id, logit }) => ({ id, token: tokenizer.decode([id]), logit }));
		if (options.json) {
			printJson({ model: options.model, experts: expertIds, precision: options.precision, input_ids: ids, top: best });
			return;
		}
		for (const { id, token, logit } of best)
			process.stdout.write(`${String(id).padStart(7)}  ${logit.toFixed(4).padStart(10)}  ${JSON.stringify(token)}\n`);
	});
	program.addCommand(command);
}
