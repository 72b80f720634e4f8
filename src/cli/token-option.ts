// The bearer token of the trainer commands, from the safest source given: --token-file (or
// $EXPERT_TRAINER_TOKEN), which `ps` does not show, else --token; a one-line error for an unreadable file.
import { readFileSync } from 'node:fs';
import { ExpertError } from '../lib/errors.ts';

export const TOKEN_OPTION_HELP = {
	token: 'bearer token (visible to other users in `ps`: prefer --token-file or $EXPERT_TRAINER_TOKEN)',
	tokenFile: 'read the bearer token from this file (its first line)'
};

export function resolveToken(options: { token?: string; tokenFile?: string }, env: NodeJS.ProcessEnv = process.env): string | undefined {
	if (options.tokenFile !== undefined) {
		let text: string;
		try {
			text = readFileSync(options.tokenFile, 'utf8');
		} catch (error) {
			throw new ExpertError('bad-token-file', `--token-file ${options.tokenFile}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
		}
		const token = text.split('\n')[0].trim();
		if (!token) throw new ExpertError('bad-token-file', `--token-file ${options.tokenFile}: the file is empty`);
		return token;
	}
	return options.token ?? (env.EXPERT_TRAINER_TOKEN || undefined);
}
