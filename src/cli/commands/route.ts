// `expert route --file F [--query Q]`: ranks the experts for a file by their routing keywords and
// priority, shows the matched keywords, and prints the load plan of the selected experts.
import { open } from 'node:fs/promises';
import type { Command } from 'commander';
import { ExpertError } from '../../lib/errors.ts';
import { readRegistry } from '../../lib/experts/package-fs.ts';
import { CONTENT_SAMPLE_CHARS, routeInput } from '../../lib/experts/router.ts';
import { numberOption } from '../numeric-option.ts';
import { warnSkippedPackages } from '../package-warnings.ts';
import { printJson } from '../run-cli.ts';

/** The first CONTENT_SAMPLE_CHARS bytes of a file, decoded as UTF-8 (routing only needs a sample). */
async function readSample(file: string): Promise<string> {
	let handle;
	try {
		handle = await open(file, 'r');
	} catch (error) {
		throw new ExpertError('unreadable-file', `${file}: cannot open (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
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
	json?: boolean;
}

export function registerRouteCommand(program: Command): void {
	program
		.command('route')
		.description('Rank the experts for a file (extension, whole-word and symbol keyword matches, priority) and print the load plan of the selected ones.')
		.requiredOption('--file <path>', 'the file to route (its name and first 64 KiB are used)')
		.option('--query <text>', 'what the user asked, matched against the keywords too')
		.option('--experts-dir <dir>', 'folder holding the expert packages', 'experts')
		.option('--min-score <x>', 'lowest score an expert needs to be selected (0..1)', numberOption)
		.option('--json', 'print the ranking and plan as JSON')
		.action(async (flags: RouteFlags) => {
			const content = await readSample(flags.file);
			const result = routeInput({ fileName: flags.file, content, query: flags.query }, await readRegistry(flags.expertsDir, warnSkippedPackages), { minScore: flags.minScore });
			const plan = result.plan.map(({ name, version, load_order, reason }) => ({ name, version, load_order, reason }));
			if (flags.json) {
				printJson({ file: flags.file, ranked: result.ranked, selected: result.selected, plan });
				return;
			}
			for (const expert of result.ranked) {
				const mark = result.selected.includes(expert.name) ? '*' : ' ';
				process.stdout.write(`${mark} ${expert.score.toFixed(3)}  ${expert.name}@${expert.version}  ${expert.reason}\n`);
			}
			if (result.ranked.length === 0) process.stdout.write('no expert matched\n');
			process.stdout.write(`load plan: ${plan.map((entry) => `${entry.name}@${entry.version}`).join(' -> ') || '(empty)'}\n`);
		});
}
