// `expert-gen dataset split`: writes <name>.train.jsonl and <name>.eval.jsonl beside a dataset, each
// record assigned by a hash of its id (stable across runs and re-generations).
import type { Command } from 'commander';
import { ExpertError } from '../../lib/errors.ts';
import { parseJsonLines, readDatasetText, writeFileAtomic } from '../../lib/datasets/dataset-file-fs.ts';
import { splitDataset } from '../../lib/datasets/dataset-tools.ts';
import type { DatasetRecord } from '../../lib/datasets/formats.ts';
import { printJson } from '../run-cli.ts';

export function registerDatasetSplitCommand(group: Command): void {
	group
		.command('split')
		.description('split a JSONL dataset into <name>.train.jsonl and <name>.eval.jsonl by record id')
		.argument('<file>', 'JSONL dataset')
		.option('--eval <share>', 'share of records for evaluation, between 0 and 1', '0.1')
		.option('--json', 'print {train: {file, records}, eval: {file, records}} as JSON')
		.action(async (file: string, options: { eval: string; json?: boolean }) => {
			const share = Number(options.eval);
			if (!(share > 0 && share < 1))
				throw new ExpertError('bad-option', `--eval must be a number between 0 and 1 (got ${options.eval})`);
			const lines = parseJsonLines(await readDatasetText(file));
			const bad = lines.find((l) => l.error || typeof (l.value as DatasetRecord)?.id !== 'string');
			if (bad)
				throw new ExpertError(
					'dataset-invalid',
					`${file}:${bad.lineNumber} is not a record with an id (run dataset validate)`
				);
			const { train, eval: evaluation } = splitDataset(
				lines.map((l) => l.value as DatasetRecord),
				share
			);
			const base = file.replace(/\.jsonl$/, '');
			const result = {
				train: { file: `${base}.train.jsonl`, records: train.length },
				eval: { file: `${base}.eval.jsonl`, records: evaluation.length }
			};
			await writeFileAtomic(result.train.file, train.map((r) => JSON.stringify(r) + '\n').join(''));
			await writeFileAtomic(result.eval.file, evaluation.map((r) => JSON.stringify(r) + '\n').join(''));
			if (options.json) printJson(result);
			else
				process.stdout.write(
					`${result.train.file}: ${train.length} records\n${result.eval.file}: ${evaluation.length} records\n`
				);
		});
}
