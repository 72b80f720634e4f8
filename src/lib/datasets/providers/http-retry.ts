// POSTs JSON to a provider with a timeout, retrying 429, 5xx, timeouts and dropped connections with
// exponential backoff and jitter, honouring Retry-After; other HTTP errors fail at once with one line.
import { ExpertError } from '../../errors.ts';

export interface RetryPolicy {
	maxRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
	timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 6,
	baseDelayMs: 1000,
	maxDelayMs: 60_000,
	timeoutMs: 120_000
};

export interface JsonResponse {
	body: unknown;
	retries: number;
}

class RetryableFailure extends Error {
	constructor(
		message: string,
		readonly retryAfterMs: number | null = null
	) {
		super(message);
	}
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
	if (value === null || value.trim() === '') return null;
	if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Delay before retry `attempt` (0-based): base * 2^attempt with "full jitter", capped. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function firstLine(text: string): string {
	return text.split('\n')[0].slice(0, 200);
}

async function attemptPost(
	url: string,
	headers: Record<string, string>,
	body: unknown,
	timeoutMs: number
): Promise<unknown> {
	let response: Response;
	try {
		response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...headers },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(timeoutMs)
		});
	} catch (error) {
		const reason =
			error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
				? `no answer within ${timeoutMs} ms`
				: `connection failed (${(error as Error).message})`;
		throw new RetryableFailure(reason);
	}
	let text: string;
	try {
		text = await response.text();
	} catch (error) {
		throw new RetryableFailure(`connection dropped while reading the answer (${(error as Error).message})`);
	}
	if (response.status === 429 || response.status >= 500) {
		throw new RetryableFailure(
			`HTTP ${response.status}: ${firstLine(text)}`,
			parseRetryAfter(response.headers.get('retry-after'))
		);
	}
	if (!response.ok)
		throw new ExpertError('provider-http', `${url} answered HTTP ${response.status}: ${firstLine(text)}`);
	try {
		return JSON.parse(text);
	} catch {
		throw new RetryableFailure(`answer was not JSON: ${firstLine(text)}`);
	}
}

export async function postJsonWithRetry(
	url: string,
	headers: Record<string, string>,
	body: unknown,
	policy: RetryPolicy
): Promise<JsonResponse> {
	for (let attempt = 0; ; attempt++) {
		try {
			return { body: await attemptPost(url, headers, body, policy.timeoutMs), retries: attempt };
		} catch (error) {
			if (!(error instanceof RetryableFailure)) throw error;
			if (attempt >= policy.maxRetries)
				throw new ExpertError('provider-failed', `${url} failed after ${attempt + 1} attempts: ${error.message}`);
			const delay = error.retryAfterMs ?? backoffDelayMs(attempt, policy);
			await new Promise((resolve) => setTimeout(resolve, Math.min(delay, policy.maxDelayMs)));
		}
	}
}
