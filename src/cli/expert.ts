// The `expert` command line: each subcommand lives in src/cli/commands/ and only parses arguments,
// calls into src/lib, and prints (human table by default, --json for scripts).
import { Command } from 'commander';
import { runCli } from './run-cli.ts';
import { registerBaseCommand } from './commands/base.ts';
import { registerRuntimeCommands } from './commands/runtime-commands.ts';
import { registerTrainerCommands } from './commands/trainer-commands.ts';
import { registerExpertPackageCommands } from './commands/expert-packages.ts';
import { registerClassifyCommand } from './commands/classify.ts';
import { registerEvalCommand } from './commands/eval.ts';
import { registerTuneCommand } from './commands/tune.ts';
import { registerAppCommand } from './commands/app.ts';

const program = new Command('expert')
	.description('Composable LoRA experts on a small base model: validate, resolve, route, run, train, classify.')
	.version('0.1.0')
	.showHelpAfterError('(run with --help for usage)');

registerRuntimeCommands(program);
registerTrainerCommands(program);
registerBaseCommand(program);
registerExpertPackageCommands(program);
registerClassifyCommand(program);
registerEvalCommand(program);
registerTuneCommand(program);
registerAppCommand(program);
await runCli(program);
