// `expert-gen dataset language-features`: runs the embedded base over the language-id records and writes the
// language head's training features (src/lib/classify/language-feature-files-fs.ts), the same code classification runs.
import { readFile } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { writeLanguageFeatures, type FeatureSource } from '../../lib/classify/language-feature-files-fs.ts';
import { ExpertError } from '../../lib/errors.ts';
import { loadBaseModel } from '../../lib/runtime/load-fs.ts';
import { DEFAULT_MODEL_DIR } from './model-options.ts';
import { printJson } from '../run-cli.ts';

function parseRecords(text: string, file: string): FeatureSource[] {
	return text
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line, index) => {
			let record: Partial<FeatureSource>;
			try {
				record = JSON.parse(line) as Partial<FeatureSource>;
			} catch {
				throw new ExpertError('dataset-invalid', `${file}:${index + 1} is not JSON`);
			}
			if (typeof record.text !== 'string' || typeof record.language !== 'string' || typeof record.source !== 'string') {
				throw new ExpertError(
					'dataset-invalid',
					`${file}:${index + 1} needs text, language and source (expert-gen dataset language-id writes them)`
				);
			}
			return { text: record.text, language: record.language, source: record.source };
		});
}

export function registerDatasetLanguageFeaturesCommand(group: Command): void {
	group
		.command('language-features')
		.description(
			"compute the language head's training features (pooled hidden states of the bare base, token bags) for language-id records"
		)
		.option('--input <file>', 'records from expert-gen dataset language-id', 'datasets/language-id.jsonl')
		.option('--output <dir>', 'feature folder for src/trainer/worker/language_head.py', 'datasets/language-id-features')
		.option('--model <dir>', 'base model folder', DEFAULT_MODEL_DIR)
		.option('--json', 'print the summary as JSON')
		.action(async (options: { input: string; output: string; model: string; json?: boolean }) => {
			const text = await readFile(options.input, 'utf8').catch(() => {
				throw new ExpertError(
					'missing-input',
					`${options.input}: no such file (expert-gen dataset language-id writes it)`
				);
			});
			const records = parseRecords(text, options.input);
			const { runtime, tokenizer } = await loadBaseModel(options.model, { precision: 'fp32' });
			const bar =
				process.stderr.isTTY && !options.json
					? new SingleBar({
							format: 'features [{bar}] {value}/{total} views | {eta_formatted} left',
							stream: process.stderr,
							hideCursor: true
						})
					: null;
			const started = performance.now();
			const { rows } = await writeLanguageFeatures(
				runtime,
				tokenizer,
				records,
				options.output,
				{ experts: [] },
				(done, total) => {
					if (!bar) return;
					if (done <= 16) bar.start(total, 0);
					bar.update(done);
				}
			);
			bar?.stop();
			const summary = {
				records: records.length,
				rows,
				seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
				output: options.output
			};
			if (options.json) return printJson(summary);
			process.stdout.write(
				`${rows} feature rows (${records.length} files, with their snippet views) in ${summary.seconds} s → ${options.output}\n`
			);
		});
}
