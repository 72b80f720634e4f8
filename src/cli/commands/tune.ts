// `expert tune <folder>`: searches the stacking weights of an expert set on a labelled folder (folder names as
// labels, or a CSV), measures the routed experts, and writes the result as a named expert set
// (<experts dir>/sets/<name>.json) that `classify --experts @name`, eval and the app use.
import type { Command } from 'commander';
import { openClassificationSession } from '../../lib/classify/classification-session-fs.ts';
import { parseExpertSelection } from '../../lib/classify/expert-selection.ts';
import { ExpertError } from '../../lib/errors.ts';
import { writeExpertSet } from '../../lib/experts/expert-set-fs.ts';
import { weighted } from '../../lib/runtime/expert-stack.ts';
import { readLabelledFolder } from '../../lib/tune/labelled-folder-fs.ts';
import { routedVerdicts, tuneExpertSet } from '../../lib/tune/tune-expert-set.ts';
import { warnSkippedPackages, warnSkippedSets } from '../package-warnings.ts';
import { printJson } from '../run-cli.ts';
import { addTuneOptions, type TuneOptions } from '../tune-options.ts';
import { tuneProgress } from '../tune-progress.ts';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

async function tune(folder: string, options: TuneOptions): Promise<void> {
	const selection = parseExpertSelection(options.experts);
	const { files, skipped, labels, source } = await readLabelledFolder(folder, options);
	for (const skip of skipped) process.stderr.write(`skipped ${skip.path}: ${skip.problem}\n`);
	const { session, skippedPackages, skippedSets } = await openClassificationSession({ ...options, backend: 'cpu' });
	warnSkippedPackages(skippedPackages);
	warnSkippedSets(skippedSets);
	const stack = session.stackFor(selection).map(weighted);
	if (stack.length === 0)
		throw new ExpertError('bad-option', '--experts none has no expert to weigh; give auto, @set or expert names');
	await session.activate(stack);
	const progress = tuneProgress(Boolean(options.json));
	const result = await tuneExpertSet(session, files, {
		...{ name: options.name, stack, source, labels, maxEvaluations: options.maxEvals, seed: options.seed },
		...{ grid: options.grid, onProgress: progress.report }
	}).finally(progress.finish);
	const written = await writeExpertSet(options.expertsDir, result.set);
	const changed = result.files.filter((file) => file.before !== file.after);
	if (options.json) return printJson({ set: written, ...result.set, skipped, changed });
	const { tuning } = result.set;
	process.stdout.write(
		`tuned @${options.name} on ${files.length} files (${tuning!.data.modelDecided} left to the model), ${tuning!.evaluations} evaluations:\n` +
			`  language ${pct(tuning!.before.language)} -> ${pct(tuning!.after.language)}, type ${pct(tuning!.before.type)} -> ${pct(tuning!.after.type)}\n` +
			`  weights: ${result.set.experts.map((expert) => `${expert.name} ${expert.weight}`).join(', ')}\n` +
			routedVerdicts(result.set)
				.map((line) => `  ${line}\n`)
				.join('') +
			`wrote ${written} (use it with --experts @${options.name})\n`
	);
}

export function registerTuneCommand(program: Command): void {
	addTuneOptions(
		program
			.command('tune')
			.description(
				'search per-expert stacking weights that maximise language accuracy on a labelled folder, and save them as a named expert set (experts/sets/<name>.json)'
			)
	).action(tune);
}
