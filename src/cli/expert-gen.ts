// The `expert-gen` command line: dataset creation, statistics, validation and splitting.
import { Command } from 'commander';
import { runCli } from './run-cli.ts';
import { registerDatasetCommand } from './commands/dataset.ts';

const program = new Command('expert-gen')
	.description('Create, check and split training datasets for experts.')
	.version('0.1.0')
	.showHelpAfterError('(run with --help for usage)');

registerDatasetCommand(program);

await runCli(program);
