// Errors meant for people: an ExpertError carries a one-line message (and a machine-readable code)
// that the CLI prints as-is and the HTTP service returns as a 4xx, never as a stack trace.

export class ExpertError extends Error {
	readonly code: string;
	constructor(code: string, message: string) {
		super(message);
		this.name = 'ExpertError';
		this.code = code;
	}
}

/** True for errors whose message is written for the user (ours), false for bugs and foreign errors. */
export function isExpertError(error: unknown): error is ExpertError {
	return error instanceof ExpertError;
}

/** One line describing any thrown value: our own message, or the foreign error's first line. */
export function describeError(error: unknown): string {
	if (error instanceof Error) return error.message.split('\n')[0];
	return String(error).split('\n')[0];
}
