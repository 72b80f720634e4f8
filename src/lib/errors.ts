// Errors meant for people: an ExpertError carries a one-line message and a code from one typed vocabulary, each
// code with the CLI's exit status (1 a failed request, 2 a usage mistake as commander's own, 70 a bug) and the HTTP
// status the servers answer with; the CLI prints the message as-is, the servers return it as a 4xx, never a stack.

/** Every error code, spelled once, with its exit status and HTTP status. */
export const ERROR_CODES = {
	'adapter-base-mismatch': { exit: 1, status: 400 },
	'adapter-missing': { exit: 1, status: 400 },
	'archive-invalid': { exit: 1, status: 400 },
	'artifact-not-ready': { exit: 1, status: 409 },
	'bad-adapter': { exit: 1, status: 400 },
	'bad-adapter-config': { exit: 1, status: 400 },
	'bad-artifact': { exit: 1, status: 400 },
	'bad-base-model': { exit: 1, status: 400 },
	'bad-builtin-index': { exit: 1, status: 400 },
	'bad-concurrency': { exit: 2, status: 400 },
	'bad-count': { exit: 2, status: 400 },
	'bad-dataset': { exit: 1, status: 400 },
	'bad-expert-ref': { exit: 1, status: 400 },
	'bad-expert-set': { exit: 1, status: 400 },
	'bad-input': { exit: 1, status: 400 },
	'bad-job-request': { exit: 1, status: 400 },
	'bad-json': { exit: 1, status: 400 },
	'bad-json-schema': { exit: 1, status: 400 },
	'bad-label': { exit: 1, status: 400 },
	'bad-labels': { exit: 1, status: 400 },
	'bad-language-head': { exit: 1, status: 400 },
	'bad-linguist-data': { exit: 1, status: 400 },
	'bad-lora-shape': { exit: 1, status: 400 },
	'bad-manifest': { exit: 1, status: 400 },
	'bad-metadata': { exit: 1, status: 400 },
	'bad-model-config': { exit: 1, status: 400 },
	'bad-option': { exit: 2, status: 400 },
	'bad-package': { exit: 1, status: 400 },
	'bad-request': { exit: 1, status: 400 },
	'bad-safetensors': { exit: 1, status: 400 },
	'bad-selection': { exit: 2, status: 400 },
	'bad-tensor': { exit: 1, status: 400 },
	'bad-tensor-shape': { exit: 1, status: 400 },
	'bad-token-file': { exit: 1, status: 400 },
	'bad-tokenizer': { exit: 1, status: 400 },
	'bad-url': { exit: 1, status: 400 },
	'bad-weights-index': { exit: 1, status: 400 },
	'bad-worker-scripts-index': { exit: 1, status: 400 },
	'base-model-mismatch': { exit: 1, status: 400 },
	'bench-child-failed': { exit: 1, status: 400 },
	'bench-failed': { exit: 1, status: 400 },
	'bench-files-missing': { exit: 1, status: 400 },
	'build-failed': { exit: 1, status: 400 },
	'cache-corrupt': { exit: 1, status: 400 },
	cancelled: { exit: 1, status: 400 },
	'cannot-listen': { exit: 1, status: 400 },
	'classify-failed': { exit: 1, status: 400 },
	'context-overflow': { exit: 1, status: 400 },
	'corpus-missing': { exit: 1, status: 400 },
	'cypher-check': { exit: 1, status: 400 },
	'data-dir-locked': { exit: 1, status: 400 },
	'dataset-empty': { exit: 1, status: 400 },
	'dataset-invalid': { exit: 1, status: 400 },
	'dataset-unreadable': { exit: 1, status: 400 },
	'deb-src-missing': { exit: 1, status: 400 },
	'dependency-cycle': { exit: 1, status: 400 },
	'download-failed': { exit: 1, status: 400 },
	'duplicate-expert': { exit: 1, status: 400 },
	'empty-adapter': { exit: 1, status: 400 },
	'empty-input': { exit: 1, status: 400 },
	'eval-failed': { exit: 1, status: 400 },
	'fetch-failed': { exit: 1, status: 400 },
	'generator-exhausted': { exit: 1, status: 400 },
	'generator-failed': { exit: 1, status: 400 },
	'init-adapter-mismatch': { exit: 1, status: 400 },
	internal: { exit: 70, status: 500 },
	'job-finished': { exit: 1, status: 409 },
	'job-not-found': { exit: 1, status: 404 },
	'labels-missing': { exit: 1, status: 400 },
	'missing-api-key': { exit: 1, status: 400 },
	'missing-dependency': { exit: 1, status: 400 },
	'missing-file': { exit: 1, status: 400 },
	'missing-input': { exit: 1, status: 400 },
	'missing-lora-tensor': { exit: 1, status: 400 },
	'missing-model': { exit: 1, status: 400 },
	'missing-sample': { exit: 1, status: 400 },
	'missing-tensor': { exit: 1, status: 400 },
	'missing-tokenizer': { exit: 1, status: 400 },
	'missing-weights': { exit: 1, status: 400 },
	'model-not-loaded': { exit: 1, status: 400 },
	'needs-cli': { exit: 1, status: 400 },
	'no-experts-dir': { exit: 1, status: 400 },
	'no-indexeddb': { exit: 1, status: 400 },
	'no-input': { exit: 1, status: 400 },
	'no-labels': { exit: 1, status: 400 },
	'no-rejected-answer': { exit: 1, status: 400 },
	'no-webgpu': { exit: 1, status: 400 },
	'non-finite-weights': { exit: 1, status: 400 },
	'not-a-file': { exit: 1, status: 400 },
	'not-a-network-provider': { exit: 1, status: 400 },
	'not-cached': { exit: 1, status: 400 },
	'nothing-to-tune': { exit: 1, status: 400 },
	'origin-not-allowed': { exit: 1, status: 403 },
	'output-conflict': { exit: 1, status: 400 },
	'output-exists': { exit: 1, status: 400 },
	'output-mismatch': { exit: 1, status: 400 },
	'output-not-dataset': { exit: 1, status: 400 },
	'output-unwritable': { exit: 1, status: 400 },
	'overflowing-weights': { exit: 1, status: 400 },
	'path-escape': { exit: 1, status: 400 },
	'pretrain-failed': { exit: 1, status: 400 },
	'pretrain-too-short': { exit: 1, status: 400 },
	'provider-exhausted': { exit: 1, status: 400 },
	'provider-failed': { exit: 1, status: 400 },
	'provider-http': { exit: 1, status: 400 },
	'python-unavailable': { exit: 1, status: 400 },
	'queue-full': { exit: 1, status: 429 },
	'quota-exceeded': { exit: 1, status: 400 },
	'reserved-project': { exit: 1, status: 400 },
	'source-download-failed': { exit: 1, status: 400 },
	'token-required': { exit: 1, status: 400 },
	'trainer-refused': { exit: 1, status: 400 },
	'trainer-unauthorized': { exit: 1, status: 400 },
	'trainer-unreachable': { exit: 1, status: 400 },
	'training-cancelled': { exit: 1, status: 400 },
	'training-failed': { exit: 1, status: 400 },
	unauthorized: { exit: 1, status: 401 },
	'unknown-difficulty': { exit: 2, status: 400 },
	'unknown-domain': { exit: 2, status: 400 },
	'unknown-expert': { exit: 1, status: 400 },
	'unknown-expert-set': { exit: 1, status: 400 },
	'unknown-format': { exit: 2, status: 400 },
	'unknown-init-adapter': { exit: 1, status: 400 },
	'unknown-lora-module': { exit: 1, status: 400 },
	'unknown-lora-tensor': { exit: 1, status: 400 },
	'unknown-provider': { exit: 2, status: 400 },
	'unknown-suite': { exit: 2, status: 400 },
	'unreadable-file': { exit: 1, status: 400 },
	'unreadable-sets': { exit: 1, status: 400 },
	'unresolved-dependency': { exit: 1, status: 400 },
	'unsafe-port': { exit: 1, status: 400 },
	'upload-too-large': { exit: 1, status: 413 },
	'version-conflict': { exit: 1, status: 400 },
	'vocab-too-large': { exit: 1, status: 400 },
	'worker-unavailable': { exit: 1, status: 400 },
	'wrong-base': { exit: 1, status: 400 }
} as const satisfies Record<string, { exit: 1 | 2 | 70; status: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class ExpertError extends Error {
	readonly code: ErrorCode;
	constructor(code: ErrorCode, message: string) {
		super(message);
		this.name = 'ExpertError';
		this.code = code;
	}
}

export function isErrorCode(value: unknown): value is ErrorCode {
	return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
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

/** The CLI's exit status for a failure: the code's, or 70 (internal software error) for anything else. */
export function exitStatusOf(error: unknown): number {
	return isExpertError(error) ? ERROR_CODES[error.code].exit : ERROR_CODES.internal.exit;
}

/** The HTTP status a server answers an ExpertError with. */
export function httpStatusOf(error: ExpertError): number {
	return ERROR_CODES[error.code].status;
}
