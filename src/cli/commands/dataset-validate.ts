// `expert-gen dataset validate`: checks every record of a JSONL file against its format's JSON Schema,
// its content-derived id, and for duplicates; exits non-zero when anything is wrong.
import type { Command } from 'commander';
import { ExpertError } from '../../lib/errors.ts';
import { parseJsonLines, readDatasetText } from '../../lib/datasets/dataset-file-fs.ts';
import { validateDataset } from '../../lib/datasets/dataset-tools.ts';
import { printJson } from '../run-cli.ts';

const PROBLEMS_SHOWN = 20;

export function registerDatasetValidateCommand(group: Command): void {
	group
		.command('validate')
		.description('check a JSONL dataset against the shipped JSON Schemas, record ids and duplicates')
		.argument('<file>', 'JSONL dataset')
		.option('--json', 'print {records, valid, duplicates, problems} as JSON')
		.action(async (file: string, options: { json?: boolean }) => {
			const report = validateDataset(parseJsonLines(await readDatasetText(file)));
			if (options.json) printJson(report);
			else {
				for (const p of report.problems.slice(0, PROBLEMS_SHOWN))
					process.stdout.write(`${file}:${p.lineNumber}: ${p.problem}\n`);
				if (report.problems.length > PROBLEMS_SHOWN)
					process.stdout.write(`... and ${report.problems.length - PROBLEMS_SHOWN} more problems\n`);
			}
			if (report.records === 0) throw new ExpertError('dataset-empty', `${file} holds no records`);
			if (report.problems.length > 0)
				throw new ExpertError(
					'dataset-invalid',
					`${file}: ${report.problems.length} problems in ${report.records} records`
				);
			if (!options.json) process.stdout.write(`${file}: ${report.valid} records, all valid\n`);
		});
}
