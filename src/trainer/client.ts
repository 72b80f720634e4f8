// HTTP client of the trainer service (used by `expert train`): submit a job, follow its Server-Sent
// Events, download the artifact tar and unpack it into an expert package folder atomically.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { extract as extractTar } from 'tar';
import { ExpertError } from '../lib/errors.ts';
import { PACKAGE_FILES } from '../lib/experts/package.ts';

export interface TrainerEvent {
	id: number;
	type: string;
	data: Record<string, unknown>;
}

export class TrainerClient {
	constructor(
		private readonly baseUrl: string,
		private readonly token?: string
	) {}

	private async request(method: string, route: string, body?: unknown): Promise<Response> {
		const headers: Record<string, string> = {};
		if (this.token) headers.authorization = `Bearer ${this.token}`;
		if (body !== undefined) headers['content-type'] = 'application/json';
		let response: Response;
		try {
			response = await fetch(new URL(route, this.baseUrl), {
				method,
				headers,
				body: body === undefined ? undefined : JSON.stringify(body)
			});
		} catch (error) {
			throw new ExpertError(
				'trainer-unreachable',
				`cannot reach the trainer at ${this.baseUrl} (${(error as Error).cause ?? (error as Error).message})`
			);
		}
		if (!response.ok) {
			const text = await response.text();
			let message = text;
			try {
				message = JSON.parse(text).error.message;
			} catch {
				// not our JSON error body: show the raw text
			}
			throw new ExpertError('trainer-refused', `trainer: ${message.split('\n')[0]} (HTTP ${response.status})`);
		}
		return response;
	}

	async submit(body: Record<string, unknown>): Promise<{ id: string; status: string }> {
		return (await (await this.request('POST', '/v1/jobs', body)).json()).job;
	}

	async job(id: string): Promise<Record<string, unknown>> {
		return (await (await this.request('GET', `/v1/jobs/${id}`)).json()).job;
	}

	async cancel(id: string): Promise<void> {
		await this.request('DELETE', `/v1/jobs/${id}`);
	}

	/** Calls onEvent for each event until the stream ends (after done, failed or cancelled); returns the last one. */
	async follow(id: string, onEvent: (event: TrainerEvent) => void): Promise<TrainerEvent | null> {
		const response = await this.request('GET', `/v1/jobs/${id}/events`);
		const decoder = new TextDecoder();
		let buffered = '';
		let last: TrainerEvent | null = null;
		try {
			for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
				buffered += decoder.decode(chunk, { stream: true });
				let boundary: number;
				while ((boundary = buffered.indexOf('\n\n')) >= 0) {
					const event = parseEventBlock(buffered.slice(0, boundary));
					buffered = buffered.slice(boundary + 2);
					if (event) {
						last = event;
						onEvent(event);
					}
				}
			}
		} catch (error) {
			throw new ExpertError(
				'trainer-unreachable',
				`lost the connection to the trainer at ${this.baseUrl} while following job ${id} (${(error as Error).message})`
			);
		}
		return last;
	}

	/** Downloads the job's package and unpacks it into `outputDir` (replaced only when `replace` is set). */
	async downloadPackage(id: string, outputDir: string, replace: boolean): Promise<string[]> {
		const target = path.resolve(outputDir);
		if (existsSync(target) && readdirSync(target).length > 0 && !replace) {
			throw new ExpertError('output-exists', `${outputDir} exists and is not empty (pass --force to replace it)`);
		}
		const bytes = new Uint8Array(await (await this.request('GET', `/v1/jobs/${id}/artifact`)).arrayBuffer());
		const temp = `${target}.tmp-${process.pid}`;
		rmSync(temp, { recursive: true, force: true });
		mkdirSync(temp, { recursive: true });
		try {
			writeFileSync(path.join(temp, '.artifact.tar'), bytes);
			await extractTar({ file: path.join(temp, '.artifact.tar'), cwd: temp, strict: true });
			rmSync(path.join(temp, '.artifact.tar'));
			const files = readdirSync(temp).sort();
			const missing = Object.values(PACKAGE_FILES).filter((file) => !files.includes(file));
			if (missing.length) throw new ExpertError('bad-artifact', `the trainer's artifact lacks ${missing.join(', ')}`);
			rmSync(target, { recursive: true, force: true });
			renameSync(temp, target);
			return files;
		} finally {
			rmSync(temp, { recursive: true, force: true });
		}
	}
}

function parseEventBlock(block: string): TrainerEvent | null {
	let id = 0;
	let type = 'message';
	const data: string[] = [];
	for (const line of block.split('\n')) {
		if (line.startsWith(':')) continue;
		const colon = line.indexOf(':');
		const field = colon < 0 ? line : line.slice(0, colon);
		const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
		if (field === 'id') id = Number(value);
		else if (field === 'event') type = value;
		else if (field === 'data') data.push(value);
	}
	if (data.length === 0) return null;
	return { id, type, data: JSON.parse(data.join('\n')) };
}
