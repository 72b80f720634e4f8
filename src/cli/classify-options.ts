// The options of `expert classify`: the base model and experts, where the files come from (paths, standard input
// with an optional name), the output format (table, CSV, JSON lines, one JSON document, a repository breakdown).
import { Option, type Command } from 'commander';
import { DEFAULT_MAX_FILE_BYTES } from '../lib/classify/file-input-policy.ts';
import { DEFAULT_EXPERTS_DIR, DEFAULT_MODEL_DIR } from './commands/model-options.ts';
import { integerOption } from './numeric-option.ts';

export function addClassifyOptions(command: Command): Command {
	return command
		.argument(
			'[paths...]',
			'files and folders (folders are walked; hidden folders and node_modules skipped); - reads standard input (a pasted snippet)'
		)
		.option('--model <dir|url>', 'base model folder or http(s) URL', DEFAULT_MODEL_DIR)
		.option(
			'--experts <auto|none|@set|a,b>',
			"auto: document-classifier and its dependencies (the @auto set's tuned weights, and the routed experts it measured to help, when experts/sets/auto.json exists); @name: a named expert set (expert tune writes them); none: the bare base model; or expert names (dependencies added)",
			'auto'
		)
		.option('--experts-dir <dir>', 'folder of expert packages', DEFAULT_EXPERTS_DIR)
		.addOption(new Option('--precision <p>', 'base weight precision').choices(['fp32', 'fp16', 'q4']).default('fp32'))
		.addOption(new Option('--backend <b>', 'ONNX Runtime execution provider').choices(['cpu', 'webgpu']).default('cpu'))
		.option('--threads <n>', 'CPU threads (default: all)', integerOption(1))
		.option('--max-file-mb <n>', 'skip files larger than this', integerOption(1), DEFAULT_MAX_FILE_BYTES / 2 ** 20)
		.option('--stdin', 'classify standard input (the same as the path -)')
		.option(
			'--name <file name>',
			'a file name for standard input, for the evidence chain (without it, content alone decides)'
		)
		.option(
			'--breakdown',
			"read each folder as a repository: GitHub's language bar (bytes per language, programming and markup), the rest apart, and every vendored, generated, documentation or .gitignore'd file left out with the reason (.gitattributes linguist-* attributes honoured); --json for linguist-js's shape with every file's answer"
		)
		.option('--json', 'print rows and summary as one JSON document at the end')
		.option('--jsonl', 'print one JSON object per file as it finishes, the summary last')
		.option('--csv', 'print rows as CSV as files finish (skipped files and the summary on stderr)')
		.addHelpText(
			'after',
			'\nRows are printed as files finish; Ctrl-C stops after the current file, keeps every printed row, prints the summary and exits 130.\n\nModel answers give the top three languages with calibrated probabilities (--json: languageRanking) and say "uncertain" below 0.5.\n\nExamples:\n  expert classify src/ README.md\n  pbpaste | expert classify -\n  expert classify --stdin --name Makefile < snippet.txt\n  expert classify --jsonl big-folder/ > answers.jsonl\n  expert classify --experts none --json notes/\n  expert classify my-repo/ --breakdown\n'
		);
}
