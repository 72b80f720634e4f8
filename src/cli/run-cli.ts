// Shared shell of both CLIs: runs a commander program and turns any failure into one line on stderr
// and a non-zero exit (the error code's: 1 for a failed request, 2 for usage errors, 70 for internal bugs).
import { CommanderError, type Command } from 'commander';
import { describeError, exitStatusOf, isExpertError } from '../lib/errors.ts';

export async function runCli(program: Command, argv: string[] = process.argv): Promise<void> {
	// A reader that stops early (`| head`) closes the pipe: stop quietly, as other tools do.
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE') throw error;
		process.exit(process.exitCode ?? 0);
	});
	const configure = (command: Command): void => {
		command.exitOverride();
		command.configureOutput({ outputError: (text, write) => write(text.trim().split('\n')[0] + '\n') });
		command.commands.forEach(configure); // subcommands do not inherit settings made after they were added
	};
	configure(program);
	try {
		await program.parseAsync(argv);
	} catch (error) {
		if (error instanceof CommanderError) {
			process.exitCode = error.exitCode === 0 ? 0 : 2;
			return;
		}
		process.stderr.write(`${program.name()}: ${describeError(error)}\n`);
		if (!isExpertError(error) && process.env.EXPERT_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
		process.exitCode = exitStatusOf(error);
	}
}

/** Prints a value as pretty JSON on stdout (the `--json` output of every command). */
export function printJson(value: unknown): void {
	process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
