// Registers the runtime's commands (generate, logits, bench) on the `expert` program in one call.
import type { Command } from 'commander';
import { registerBenchCommand } from './bench.ts';
import { registerGenerateCommand } from './generate.ts';
import { registerLogitsCommand } from './logits.ts';

export function registerRuntimeCommands(program: Command): void {
	registerGenerateCommand(program);
	registerLogitsCommand(program);
	registerBenchCommand(program);
}
