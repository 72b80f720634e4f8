// Who may call a local service (`trainer serve`, `serve`): the --host, --token, --token-file and --cors-origin
// options, and the bearer token from the safest source given: --token-file (or $EXPERT_TRAINER_TOKEN), which `ps`
// does not show, else --token; a one-line error for an unreadable file.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ExpertError } from '../lib/errors.ts';

export const TOKEN_OPTION_HELP = {
	token: 'bearer token (visible to other users in `ps`: prefer --token-file or $EXPERT_TRAINER_TOKEN)',
	tokenFile: 'read the bearer token from this file (its first line)'
};

const collect = (value: string, previous: string[]) => [...previous, ...value.split(',').filter(Boolean)];

/** Adds --host (loopback by default), --token, --token-file and --cors-origin to a service command. */
export function addAccessOptions(command: Command): Command {
	return command
		.option('--host <address>', 'address to bind; anything beyond loopback requires --token', '127.0.0.1')
		.option('--token <token>', `clients must send this ${TOKEN_OPTION_HELP.token}`)
		.option('--token-file <file>', TOKEN_OPTION_HELP.tokenFile)
		.option(
			'--cors-origin <origin>',
			'browser origin allowed to call the API (repeatable or comma-separated)',
			collect,
			[]
		);
}

export function resolveToken(
	options: { token?: string; tokenFile?: string },
	env: NodeJS.ProcessEnv = process.env
): string | undefined {
	if (options.tokenFile !== undefined) {
		let text: string;
		try {
			text = readFileSync(options.tokenFile, 'utf8');
		} catch (error) {
			throw new ExpertError(
				'bad-token-file',
				`--token-file ${options.tokenFile}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`
			);
		}
		const token = text.split('\n')[0].trim();
		if (!token) throw new ExpertError('bad-token-file', `--token-file ${options.tokenFile}: the file is empty`);
		return token;
	}
	return options.token ?? (env.EXPERT_TRAINER_TOKEN || undefined);
}
