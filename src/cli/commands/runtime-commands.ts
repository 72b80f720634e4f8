// Registers the runtime's commands (generate, logits, serve, bench) on the `expert` program in one call.
import type { Command } from 'commander';
import { registerBenchCommand } from './bench.ts';
import { registerGenerateCommand } from './generate.ts';
import { registerLogitsCommand } from './logits.ts';
import { registerServeCommand } from './serve.ts';

export function registerRuntimeCommands(program: Command): void {
	registerGenerateCommand(program);
	registerLogitsCommand(program);
	registerServeCommand(program);
	registerBenchCommand(program);
}
