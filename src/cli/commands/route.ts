// `expert route --file F [--query Q]`: ranks the experts for a file by their routing keywords and
// priority, shows the matched keywords, prints the load plan of the selected experts, and says which of them
// classification (auto or an @set) adds and why (measured to help on files routed to it, or not).
import { open } from 'node:fs/promises';
import type { Command } from 'commander';
import { ExpertError } from '../../lib/errors.ts';
import { explainRouting, parseExpertSelection } from '../../lib/classify/expert-selection.ts';
import { readExpertSets } from '../../lib/experts/expert-set-fs.ts';
import { readRegistry } from '../../lib/experts/package-fs.ts';
import { CONTENT_SAMPLE_CHARS, routeInput } from '../../lib/experts/router.ts';
import { numberOption } from '../numeric-option.ts';
import { warnSkippedPackages, warnSkippedSets } from '../package-warnings.ts';
import { printJson } from '../run-cli.ts';

/** The first CONTENT_SAMPLE_CHARS bytes of a file, decoded as UTF-8 (routing only needs a sample). */
async function readSample(file: string): Promise<string> {
	let handle;
	try {
		handle = await open(file, 'r');
	} catch (error) {
		throw new ExpertError(
			'unreadable-file',
			`${file}: cannot open (${(error as NodeJS.ErrnoException).code ?? 'error'})`
		);
	}
	try {
		if (!(await handle.stat()).isFile()) throw new ExpertError('unreadable-file', `${file}: not a regular file`);
		const buffer = Buffer.alloc(CONTENT_SAMPLE_CHARS);
		const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
		return buffer.subarray(0, bytesRead).toString('utf8');
	} finally {
		await handle.close();
	}
}

interface RouteFlags {
	file: string;
	query?: string;
	expertsDir: string;
	minScore?: number;
	experts: string;
	json?: boolean;
}

export function registerRouteCommand(program: Command): void {
	program
		.command('route')
		.description(
			'Rank the experts for a file (extension, whole-word and symbol keyword matches, priority) and print the load plan of the selected ones.'
		)
		.requiredOption('--file <path>', 'the file to route (its name and first 64 KiB are used)')
		.option('--query <text>', 'what the user asked, matched against the keywords too')
		.option('--experts-dir <dir>', 'folder holding the expert packages', 'experts')
		.option('--min-score <x>', 'lowest score an expert needs to be selected (0..1)', numberOption)
		.option(
			'--experts <auto|@set>',
			'say which routed experts this selection adds when it classifies the file, and why',
			'auto'
		)
		.option('--json', 'print the ranking, plan and verdicts as JSON')
		.action(async (flags: RouteFlags) => {
			const selection = parseExpertSelection(flags.experts);
			if (selection.mode === 'none' || selection.mode === 'list')
				throw new ExpertError(
					'bad-option',
					'--experts must be auto or @set (a list of experts adds no routed experts)'
				);
			const content = await readSample(flags.file);
			const registry = await readRegistry(flags.expertsDir, warnSkippedPackages);
			const sets = await readExpertSets(flags.expertsDir);
			warnSkippedSets(sets.skipped);
			const result = routeInput({ fileName: flags.file, content, query: flags.query }, registry, {
				minScore: flags.minScore
			});
			const plan = result.plan.map(({ name, version, load_order, reason }) => ({ name, version, load_order, reason }));
			const verdicts = explainRouting(selection, registry, sets.sets, { fileName: flags.file, content });
			if (flags.json) {
				printJson({
					file: flags.file,
					ranked: result.ranked,
					selected: result.selected,
					plan,
					classification: { experts: flags.experts, routed: verdicts }
				});
				return;
			}
			for (const expert of result.ranked) {
				const mark = result.selected.includes(expert.name) ? '*' : ' ';
				process.stdout.write(
					`${mark} ${expert.score.toFixed(3)}  ${expert.name}@${expert.version}  ${expert.reason}\n`
				);
			}
			if (result.ranked.length === 0) process.stdout.write('no expert matched\n');
			process.stdout.write(
				`load plan: ${plan.map((entry) => `${entry.name}@${entry.version}`).join(' -> ') || '(empty)'}\n`
			);
			for (const verdict of verdicts)
				process.stdout.write(`classify --experts ${flags.experts}: ${verdict.name} ${verdict.reason}\n`);
		});
}
