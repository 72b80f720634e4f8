// `expert-gen dataset language-id`: real files for the language head, from Debian source packages and the train
// side of ../shared/corpora, labelled by what is certain; writes the records and the data card's file list.
import { writeTextAtomically } from '../../lib/write-atomically-fs.ts';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { nodeLinguistHeuristics } from '../../lib/classify/linguist-heuristics-fs.ts';
import { DEFAULT_CORPORA_DIR, loadCorpora, REPO_ROOT } from '../../lib/datasets/corpus-fs.ts';
import { ensureDebSrc } from '../../lib/datasets/debian-sources-fs.ts';
import { buildLanguageIdDataset, dataCardMarkdown, dataFilesTable } from '../../lib/datasets/language-id-dataset-fs.ts';
import { LANGUAGE_ID_SOURCE_PACKAGES } from '../../lib/datasets/language-id-sources.ts';
import { printJson } from '../run-cli.ts';

async function filesUnder(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
	return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

export function registerDatasetLanguageIdCommand(group: Command): void {
	group
		.command('language-id')
		.description(
			'fetch the Debian source packages of the language-id data (adds a bookworm deb-src entry when missing), label their files by certain evidence, balance, and write the records and the data card file list'
		)
		.option(
			'--output <file>',
			'records (JSONL: text, language, fileName, source, rule, sha256)',
			'datasets/language-id.jsonl'
		)
		.option(
			'--files-table <file>',
			'the data card list of every file used (DATA_CARD.md is written beside it)',
			'experts/language-id-v1/DATA_FILES.tsv'
		)
		.option('--cache <dir>', 'where source packages are downloaded and unpacked (reused)', 'datasets/debian-sources')
		.option('--corpora <dir>', 'the shared corpora', DEFAULT_CORPORA_DIR)
		.option(
			'--reserved <file>',
			'projects reserved for evaluation',
			path.resolve(REPO_ROOT, '../shared/eval-reserved.md')
		)
		.option('--real-set <dir>', 'the real-project evaluation set, whose files are left out', 'eval-data/real-projects')
		.option('--json', 'print the summary as JSON')
		.action(
			async (options: {
				output: string;
				filesTable: string;
				cache: string;
				corpora: string;
				reserved: string;
				realSet: string;
				json?: boolean;
			}) => {
				await ensureDebSrc();
				const dataset = await buildLanguageIdDataset({
					cacheDir: options.cache,
					reservedFile: options.reserved,
					corpora: await loadCorpora(options.corpora),
					heuristics: nodeLinguistHeuristics(),
					packages: LANGUAGE_ID_SOURCE_PACKAGES,
					realProjectFiles: await filesUnder(path.join(options.realSet, 'files')),
					log: options.json ? undefined : (line) => process.stderr.write(`${line}\n`)
				});
				await writeTextAtomically(options.output, dataset.records.map((r) => JSON.stringify(r)).join('\n') + '\n');
				await writeTextAtomically(options.filesTable, dataFilesTable(dataset));
				await writeTextAtomically(
					path.join(path.dirname(options.filesTable), 'DATA_CARD.md'),
					dataCardMarkdown(dataset)
				);
				const languages = new Map<string, number>();
				for (const r of dataset.records) languages.set(r.language, (languages.get(r.language) ?? 0) + 1);
				const summary = {
					records: dataset.records.length,
					languages: languages.size,
					packages: dataset.packages.length,
					skipped: dataset.skipped,
					output: options.output,
					filesTable: options.filesTable
				};
				if (options.json) return printJson(summary);
				process.stdout.write(
					`${summary.records} files in ${summary.languages} languages from ${summary.packages} source packages and the linguist train side → ${options.output}\n`
				);
				for (const s of dataset.skipped) process.stdout.write(`skipped ${s.name}: ${s.reason}\n`);
			}
		);
}
