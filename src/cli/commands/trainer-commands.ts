// Registers the trainer's commands (train, trainer serve) on the `expert` program in one call.
import type { Command } from 'commander';
import { registerTrainCommand } from './train.ts';
import { registerTrainerCommand } from './trainer.ts';

export function registerTrainerCommands(program: Command): void {
	registerTrainCommand(program);
	registerTrainerCommand(program);
}
