// `expert resolve <name[@range]>...`: resolves the requested experts and their requirements against the
// packages in --experts-dir and prints the load plan (load_order, then dependencies first).
import type { Command } from 'commander';
import { readRegistry } from '../../lib/experts/package-fs.ts';
import { resolveLoadPlan } from '../../lib/experts/resolver.ts';
import { warnSkippedPackages } from '../package-warnings.ts';
import { printJson } from '../run-cli.ts';

export function registerResolveCommand(program: Command): void {
	program
		.command('resolve')
		.description(
			'Pick a version of each requested expert and of everything it requires (semver), and print the load plan with the reason for each entry.'
		)
		.argument('<request...>', 'expert names, optionally with a semver range: document-classifier, json-parser@^2')
		.option('--experts-dir <dir>', 'folder holding the expert packages', 'experts')
		.option('--json', 'print the plan as JSON')
		.action(async (requests: string[], flags: { expertsDir: string; json?: boolean }) => {
			const { plan } = resolveLoadPlan(requests, await readRegistry(flags.expertsDir, warnSkippedPackages));
			const entries = plan.map(({ name, version, load_order, reason }) => ({ name, version, load_order, reason }));
			if (flags.json) {
				printJson({ plan: entries });
				return;
			}
			for (const entry of entries)
				process.stdout.write(
					`${String(entry.load_order).padStart(3)}  ${entry.name}@${entry.version}  ${entry.reason}\n`
				);
		});
}
