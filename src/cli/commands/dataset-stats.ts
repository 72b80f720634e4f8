// `expert-gen dataset stats`: record counts by domain, difficulty, task and source, and text lengths.
import type { Command } from 'commander';
import { ExpertError } from '../../lib/errors.ts';
import { parseJsonLines, readDatasetText } from '../../lib/datasets/dataset-file-fs.ts';
import { datasetStats } from '../../lib/datasets/dataset-tools.ts';
import type { DatasetRecord } from '../../lib/datasets/formats.ts';
import { printJson } from '../run-cli.ts';

function printCounts(title: string, counts: Record<string, number>, limit = 12): void {
	process.stdout.write(`${title}:\n`);
	for (const [key, n] of Object.entries(counts).slice(0, limit))
		process.stdout.write(`  ${String(n).padStart(7)}  ${key}\n`);
}

export function registerDatasetStatsCommand(group: Command): void {
	group
		.command('stats')
		.description('summarize a JSONL dataset: counts by domain, difficulty, task and source; text lengths')
		.argument('<file>', 'JSONL dataset')
		.option('--json', 'print the statistics as JSON')
		.action(async (file: string, options: { json?: boolean }) => {
			const lines = parseJsonLines(await readDatasetText(file));
			const bad = lines.find((l) => l.error);
			if (bad) throw new ExpertError('dataset-invalid', `${file}:${bad.lineNumber} is not JSON (${bad.error})`);
			const stats = datasetStats(lines.map((l) => l.value as DatasetRecord));
			if (options.json) return printJson(stats);
			process.stdout.write(
				`${file}: ${stats.records} records (${stats.uniqueIds} unique ids), format ${stats.format}\n`
			);
			printCounts('domain', stats.byDomain);
			printCounts('difficulty', stats.byDifficulty);
			printCounts('task', stats.byTask);
			printCounts('source', stats.bySource);
			process.stdout.write(
				`prompt chars: mean ${stats.promptChars.mean}, min ${stats.promptChars.min}, max ${stats.promptChars.max}\n`
			);
			process.stdout.write(
				`answer chars: mean ${stats.answerChars.mean}, min ${stats.answerChars.min}, max ${stats.answerChars.max}\n`
			);
		});
}
