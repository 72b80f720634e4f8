// `expert eval` (npm run eval): parses the options, runs lib/eval/run-eval-fs.ts (classification accuracy on the
// held-out split and the real-project set beside linguist-js, language identification, repository breakdowns,
// expert sets, generation checks, runtime rows), and writes report.json, report.md and an SVG.
import { Command, Option } from 'commander';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_CORPORA_DIR, REPO_ROOT } from '../../lib/datasets/corpus-fs.ts';
import { confusionSvg } from '../../lib/eval/confusion-svg.ts';
import { evalMarkdown } from '../../lib/eval/eval-report.ts';
import { DEFAULT_BREAKDOWN_TREES_DIR } from '../../lib/eval/breakdown-trees-fs.ts';
import { PROSE_PARAGRAPHS, runEval, type EvalOptions } from '../../lib/eval/run-eval-fs.ts';
import { writeTextAtomically } from '../../lib/write-atomically-fs.ts';
import { integerOption } from '../numeric-option.ts';
import { DEFAULT_EXPERTS_DIR, DEFAULT_MODEL_DIR } from './model-options.ts';

async function evalCommand(options: EvalOptions): Promise<void> {
	const report = await runEval(options, (line) => process.stderr.write(`${line}\n`));
	await mkdir(options.output, { recursive: true });
	await writeTextAtomically(path.join(options.output, 'report.json'), JSON.stringify(report, null, 2) + '\n');
	await writeTextAtomically(path.join(options.output, 'report.md'), evalMarkdown(report));
	await writeTextAtomically(
		path.join(options.output, 'language-confusion.svg'),
		confusionSvg(report.headline.languageConfusion, `language confusion, ${report.heldOutFiles} held-out files`)
	);
	process.stdout.write(
		`${evalMarkdown(report).split('\n## Language confusion')[0]}\nreport: ${path.join(options.output, 'report.md')}\n`
	);
}

export function registerEvalCommand(program: Command): void {
	program
		.command('eval')
		.description('evaluate the shipped classifier on the held-out corpus split and write eval-results/report.{md,json}')
		.option('--model <dir|url>', 'base model folder or URL', DEFAULT_MODEL_DIR)
		.option('--experts-dir <dir>', 'folder of expert packages', DEFAULT_EXPERTS_DIR)
		.option(
			'--corpora <dir>',
			'labelled corpora (linguist samples, JSONTestSuite, openCypher TCK)',
			DEFAULT_CORPORA_DIR
		)
		.addOption(new Option('--precision <p>', 'base weight precision').choices(['fp32', 'fp16', 'q4']).default('fp32'))
		.option('--threads <n>', 'CPU threads (default: all)', integerOption(1))
		.option(
			'--compare-files <n>',
			'held-out files used for the comparison of expert sets (0 skips it)',
			integerOption(0),
			150
		)
		.option(
			'--generation-prompts <n>',
			`held-out prompts for the JSON and Cypher checks (0 skips them and the English perplexity over ${PROSE_PARAGRAPHS} held-out paragraphs)`,
			integerOption(0),
			30
		)
		.option(
			'--technology-labels <file>',
			'hand-made technology labels of the held-out files',
			path.join(REPO_ROOT, 'datasets/eval/heldout-technologies.jsonl')
		)
		.option(
			'--real-set <dir>',
			'second eval set: real files from Debian packages, labelled by provenance (built by --fetch-real-set)',
			path.join(REPO_ROOT, 'eval-data/real-projects')
		)
		.option(
			'--code-set <dir>',
			'real Python and Rust files from Debian packages (built by --fetch-real-set), where python-code and rust-code are measured',
			path.join(REPO_ROOT, 'eval-data/code-experts')
		)
		.option(
			'--breakdown-trees <dir>',
			'real project trees (Debian source packages, fetched by --fetch-real-set) where the repository breakdown is compared with linguist-js and GitHub Linguist',
			DEFAULT_BREAKDOWN_TREES_DIR
		)
		.option('--no-q4', 'skip the second pass on the 4-bit base (q4 vs fp32 agreement)')
		.option(
			'--fetch-real-set',
			'first download the pinned Debian packages (apt-get download, nothing installed) and build the real-project set in --real-set, and the breakdown trees (apt-get source) in --breakdown-trees'
		)
		.option('--output <dir>', 'report folder', path.join(REPO_ROOT, 'eval-results'))
		.action(evalCommand);
}
