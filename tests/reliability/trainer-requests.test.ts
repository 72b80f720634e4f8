// Bad requests and faults against a real trainer service (HTTP on loopback, SQLite, real files): every
// refusal is one line with the right 4xx, nothing is stored for a refused job, and the server keeps
// serving; the data dir is one server's; cancelled jobs leave no folder.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrainerServer, type TrainerServer } from '../../src/trainer/server.ts';
import { dpoJsonl, sftJsonl } from '../fixtures/trainer-datasets.ts';
import { startTinyTrainer } from '../fixtures/tiny-trainer.ts';

const ORIGIN = 'http://app.example';
const TOKEN = 'reliability-token';
const root = mkdtempSync(path.join(tmpdir(), 'trainer-reliability-'));
const dataDir = path.join(root, 'data');
let server: TrainerServer;

const job = (overrides: Record<string, unknown> = {}) => ({
	name: 'probe',
	base_model: 'tiny-qwen2',
	dataset: { content: sftJsonl(8), name: 'sft.jsonl' },
	r: 2,
	target_modules: ['q_proj'],
	epochs: 1,
	max_seq_len: 64,
	device: 'cpu',
	...overrides
});

const auth = { authorization: `Bearer ${TOKEN}` };

async function call(
	method: string,
	route: string,
	body?: string,
	headers: Record<string, string> = {}
): Promise<{ status: number; message: string }> {
	const response = await fetch(`${server.url}${route}`, {
		method,
		headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
		body
	});
	const text = await response.text();
	let message: string;
	try {
		message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? '';
	} catch {
		message = text;
	}
	return { status: response.status, message };
}
const post = (body: unknown, headers: Record<string, string> = {}) =>
	call('POST', '/v1/jobs', typeof body === 'string' ? body : JSON.stringify(body), headers);

beforeAll(async () => {
	server = await startTinyTrainer(dataDir, { queueLimit: 2, token: TOKEN, corsOrigins: [ORIGIN] });
	writeFileSync(path.join(root, 'outside.jsonl'), sftJsonl(2));
	mkdirSync(path.join(dataDir, 'datasets', 'sub'), { recursive: true });
	writeFileSync(path.join(dataDir, 'datasets', 'good.jsonl'), sftJsonl(4));
	symlinkSync(path.join(root, 'outside.jsonl'), path.join(dataDir, 'datasets', 'escape.jsonl'));
});

afterAll(async () => {
	await server?.close();
	rmSync(root, { recursive: true, force: true });
});

describe('trainer requests', () => {
	// [what, body, status, part of the one-line message]
	const refused: Array<[string, unknown, number, string]> = [
		// 1, 9: dataset.path is confined to datasets/ and must name a file
		[
			'dataset.path = the job store',
			job({ dataset: { path: 'trainer.sqlite' } }),
			400,
			'dataset.path: "trainer.sqlite" is not under datasets/'
		],
		['dataset.path = its WAL', job({ dataset: { path: 'trainer.sqlite-wal' } }), 400, 'dataset.path'],
		['dataset.path = the jobs folder', job({ dataset: { path: 'jobs' } }), 400, 'is not under datasets/'],
		['dataset.path = the datasets folder', job({ dataset: { path: 'datasets' } }), 400, 'is not under datasets/'],
		[
			'dataset.path = a folder under datasets/',
			job({ dataset: { path: 'datasets/sub' } }),
			400,
			'is not a regular file'
		],
		[
			'dataset.path = a model file',
			job({ dataset: { path: 'models/tiny-qwen2/config.json' } }),
			400,
			'is not under datasets/'
		],
		['dataset.path with ..', job({ dataset: { path: 'datasets/../trainer.sqlite' } }), 400, 'must not contain ".."'],
		[
			'dataset.path absolute outside',
			job({ dataset: { path: path.join(root, 'outside.jsonl') } }),
			400,
			"outside the trainer's data dir"
		],
		['dataset.path symlink out', job({ dataset: { path: 'datasets/escape.jsonl' } }), 400, 'leads outside'],
		['dataset.path with a NUL byte', job({ dataset: { path: 'datasets/good.jsonl\u0000x' } }), 400, 'NUL byte'],
		['dataset.path missing', job({ dataset: { path: 'datasets/none.jsonl' } }), 400, 'does not exist'],
		['dataset.path empty', job({ dataset: { path: '' } }), 400, 'dataset'],
		[
			'dataset both content and path',
			job({ dataset: { content: sftJsonl(2), path: 'datasets/good.jsonl' } }),
			400,
			'dataset'
		],
		// the body itself
		['body not JSON', '{"name": ', 400, ''],
		['body an array', [1, 2], 400, 'body'],
		['body null', 'null', 400, ''],
		['unknown field', job({ learning_rate: 1 }), 400, 'learning_rate'],
		['name with capitals', job({ name: 'Bad Name' }), 400, 'name: must be lower-case words'],
		['name too long', job({ name: 'a'.repeat(65) }), 400, 'name'],
		['no base_model', { ...job(), base_model: undefined }, 400, 'base_model'],
		['unknown base model', job({ base_model: 'no-such-model' }), 400, 'base_model: no model "no-such-model"'],
		['base model path escape', job({ base_model: '../../etc' }), 400, 'base_model'],
		['method unknown', job({ method: 'ppo' }), 400, 'method'],
		['r = 0', job({ r: 0 }), 400, 'r: must be > 0'],
		['r not an integer', job({ r: 2.5 }), 400, 'r: must be an integer'],
		['r a string', job({ r: '4' }), 400, 'r: must be a number'],
		['lr = 0', job({ lr: 0 }), 400, 'lr: must be > 0'],
		['lr > 1', job({ lr: 5 }), 400, 'lr'],
		['epochs = 0', job({ epochs: 0 }), 400, 'epochs'],
		['dropout 0.95', job({ dropout: 0.95 }), 400, 'dropout'],
		['max_seq_len 4', job({ max_seq_len: 4 }), 400, 'max_seq_len'],
		['eval_fraction 0.9', job({ eval_fraction: 0.9 }), 400, 'eval_fraction'],
		['unknown target module', job({ target_modules: ['q_proj', 'qkv'] }), 400, 'unknown target module "qkv"'],
		['repeated target module', job({ target_modules: ['q_proj', 'q_proj'] }), 400, 'must not repeat a module'],
		['no target module', job({ target_modules: [] }), 400, 'must name at least one module'],
		['device tpu', job({ device: 'tpu' }), 400, 'device'],
		// the dataset's content
		['empty dataset', job({ dataset: { content: '\n\n' } }), 400, 'the dataset is empty'],
		[
			'malformed JSONL line',
			job({ dataset: { content: `${sftJsonl(2)}\n{"instruction": broken` } }),
			400,
			'line 3: not valid JSON'
		],
		['SFT record of the wrong shape', job({ dataset: { content: '{"text": "hi"}' } }), 400, 'line 1'],
		[
			'DPO record without rejected',
			job({ method: 'dpo', dataset: { content: '{"prompt": "p", "chosen": "c"}' } }),
			400,
			'`rejected` is missing'
		],
		[
			'DPO prompt fills max_seq_len',
			job({ method: 'dpo', max_seq_len: 8, dataset: { content: dpoJsonl(2) } }),
			400,
			'the prompt alone fills max_seq_len'
		],
		['binary dataset', job({ dataset: { content: '\u0000\u0001\u0002PNG' } }), 400, 'line 1'],
		// the manifest
		[
			'repeated capability',
			job({ manifest: { capabilities: ['tech:x', 'tech:x'] } }),
			400,
			'must not repeat a capability'
		],
		[
			'unresolvable dependency',
			job({ manifest: { constraints: { requires: ['no-such-expert@>=1.0.0'] } } }),
			400,
			'no-such-expert'
		],
		[
			'bad semver requirement',
			job({ manifest: { constraints: { requires: ['english-basic@>=one'] } } }),
			400,
			'requires'
		],
		['bad version', job({ manifest: { version: 'v1' } }), 400, 'must be semver'],
		['routing priority 2', job({ manifest: { routing: { keywords: ['x'], priority: 2 } } }), 400, 'priority'],
		['init_adapter unknown', job({ init_adapter: 'nobody@1.0.0' }), 400, 'init_adapter'],
		// stack dropout
		['unresolvable stack expert', job({ stack_experts: ['no-such-expert'] }), 400, 'stack_experts: '],
		['bad stack requirement', job({ stack_experts: ['english-basic@>=one'] }), 400, 'stack_experts'],
		['stack_dropout 1.5', job({ stack_dropout: 1.5 }), 400, 'stack_dropout'],
		[
			'stack weight range reversed',
			job({ stack_weight_range: [1.5, 0.5] }),
			400,
			'stack_weight_range: must be [low, high]'
		],
		// size
		[
			'upload over the limit',
			job({ dataset: { content: 'x'.repeat(300 * 1024) } }),
			413,
			'upload exceeds the 262144-byte limit'
		]
	];

	it.each(refused)('refuses %s with one line', async (_what, body, status, message) => {
		const answer = await post(body);
		expect(answer.status).toBe(status);
		expect(answer.message).toContain(message);
		expect(answer.message).not.toContain('\n');
		expect(answer.message).not.toContain(dataDir); // the server's own paths stay on the server
	});

	it('answers wrong routes, methods, tokens and origins with the right status, and stored nothing for any refusal', async () => {
		const unknown = '00000000-0000-4000-8000-000000000000';
		expect((await call('GET', `/v1/jobs/${unknown}`)).status).toBe(404);
		expect((await call('DELETE', `/v1/jobs/${unknown}`)).status).toBe(404);
		expect((await call('GET', `/v1/jobs/${unknown}/events`)).status).toBe(404);
		expect((await call('GET', `/v1/jobs/${unknown}/artifact`)).status).toBe(404);
		expect((await call('GET', '/v1/nothing-here')).status).toBe(404);
		expect((await call('PUT', '/v1/jobs', '{}')).status).toBe(404);
		const plain = await post(job(), { 'content-type': 'text/plain' });
		expect([400, 415]).toContain(plain.status);
		expect(plain.message).toMatch(/^[^\n]+$/);
		expect((await call('GET', '/v1/jobs', undefined, { authorization: '' })).status).toBe(401);
		expect((await call('GET', '/v1/jobs', undefined, { authorization: 'Bearer wrong' })).status).toBe(401);
		expect((await call('GET', '/v1/jobs', undefined, { authorization: `Basic ${TOKEN}` })).status).toBe(401);
		expect((await post(job(), { origin: 'http://evil.example' })).status).toBe(403);
		const preflight = await fetch(`${server.url}/v1/jobs`, {
			method: 'OPTIONS',
			headers: { origin: ORIGIN, 'access-control-request-method': 'POST' }
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
		expect((await call('GET', '/v1/health')).status).toBe(200);
		const { jobs } = (await (await fetch(`${server.url}/v1/jobs`, { headers: auth })).json()) as { jobs: unknown[] };
		expect(jobs).toEqual([]);
		expect(readdirSync(path.join(dataDir, 'jobs'))).toEqual([]);
	});

	it('queues up to the limit (429 beyond), cancels queued jobs (200, then 409) and removes their folders', async () => {
		const first = await post(job({ name: 'long-one', epochs: 500 }));
		expect(first.status).toBe(201);
		const ids: string[] = [];
		for (const name of ['queued-a', 'queued-b']) {
			const response = await fetch(`${server.url}/v1/jobs`, {
				method: 'POST',
				headers: { ...auth, 'content-type': 'application/json' },
				body: JSON.stringify(job({ name }))
			});
			expect(response.status).toBe(201);
			ids.push(((await response.json()) as { job: { id: string } }).job.id);
		}
		expect((await post(job({ name: 'one-too-many' }))).status).toBe(429);
		for (const id of ids) {
			expect(existsSync(path.join(dataDir, 'jobs', id))).toBe(true);
			expect((await call('DELETE', `/v1/jobs/${id}`)).status).toBe(200);
			expect((await call('DELETE', `/v1/jobs/${id}`)).status).toBe(409);
			expect((await call('GET', `/v1/jobs/${id}/artifact`)).status).toBe(409);
			expect(existsSync(path.join(dataDir, 'jobs', id))).toBe(false);
		}
		const { jobs } = (await (await fetch(`${server.url}/v1/jobs`, { headers: auth })).json()) as {
			jobs: Array<{ id: string; status: string }>;
		};
		for (const running of jobs.filter((entry) => entry.status === 'running' || entry.status === 'queued'))
			await call('DELETE', `/v1/jobs/${running.id}`);
	});

	it('refuses a second server on the same data dir (4), and a lock left by a dead one is taken over', async () => {
		await expect(startTrainerServer({ dataDir, port: 0 })).rejects.toThrow(/already serves|another trainer/);
		const other = path.join(root, 'other');
		mkdirSync(other, { recursive: true });
		writeFileSync(path.join(other, 'trainer.lock'), '999999999\n'); // no such process
		const taker = await startTrainerServer({ dataDir: other, port: 0 });
		try {
			expect((await fetch(`${taker.url}/v1/health`)).status).toBe(200);
		} finally {
			await taker.close();
		}
		expect(existsSync(path.join(other, 'trainer.lock'))).toBe(false);
	});
});
