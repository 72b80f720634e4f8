// `expert serve` through a real OpenAI client (the `openai` npm package) over a loopback socket, on the
// embedded base and the shipped experts: a streamed answer valid against a JSON schema with an expert stack,
// the declared output of neo4j-cypher without response_format, usage and Expert's own fields, errors as
// OpenAI-shaped 4xx, the bearer token, and the `expert serve` command itself. About 10 s.
import { spawn } from 'node:child_process';
import path from 'node:path';
import Ajv from 'ajv';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EXPERTS_DIR, DEFAULT_MODEL_DIR } from '../../src/cli/commands/model-options.ts';
import { openExpertFolder } from '../../src/lib/classify/expert-loader-fs.ts';
import { cypherSyntaxErrors } from '../../src/lib/datasets/cypher-syntax.ts';
import { ExpertStack } from '../../src/lib/runtime/expert-stack.ts';
import { loadBaseModel } from '../../src/lib/runtime/load-fs.ts';
import { startGenerationServer, type GenerationServer } from '../../src/serve/server.ts';

const SCHEMA = {
	type: 'object',
	properties: {
		name: { type: 'string', maxLength: 12 },
		count: { type: 'integer' },
		tags: { type: 'array', items: { enum: ['a', 'b'] }, maxItems: 2 }
	},
	required: ['name', 'count']
};
let server: GenerationServer;
let guarded: GenerationServer;
let client: OpenAI;

beforeAll(async () => {
	const { runtime, tokenizer } = await loadBaseModel(DEFAULT_MODEL_DIR, { precision: 'fp32', threads: 1 });
	const folder = await openExpertFolder(DEFAULT_EXPERTS_DIR, runtime.config);
	const stack = new ExpertStack(runtime, folder.registry, folder.loadAdapter);
	const context = { runtime, tokenizer, registry: stack.registry, activate: (ids: string[]) => stack.activate(ids) };
	server = await startGenerationServer({ context, modelName: 'expert-base-tiny', port: 0 });
	guarded = await startGenerationServer({ context, modelName: 'expert-base-tiny', port: 0, token: 'sesame' });
	client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused-on-loopback', maxRetries: 0 });
});
afterAll(async () => {
	await server?.close();
	await guarded?.close();
});

// `experts` is Expert's field beyond OpenAI's: the client forwards body fields it does not know.
type WithExperts<T> = T & { experts?: string[] };

describe('expert serve with an OpenAI client', () => {
	it('streams a schema-valid answer from an expert stack', async () => {
		const stream = await client.chat.completions.create({
			model: 'expert-base-tiny',
			messages: [{ role: 'user', content: 'Return a JSON object with a name and a count.' }],
			max_tokens: 60,
			stream: true,
			stream_options: { include_usage: true },
			response_format: { type: 'json_schema', json_schema: { name: 'thing', schema: SCHEMA } },
			experts: ['json-parser']
		} as WithExperts<OpenAI.ChatCompletionCreateParamsStreaming>);
		let text = '';
		let pieces = 0;
		let finish: string | null = null;
		let last: Record<string, unknown> = {};
		for await (const chunk of stream) {
			const choice = chunk.choices[0];
			if (choice?.delta?.content) {
				text += choice.delta.content;
				pieces++;
			}
			if (choice?.finish_reason) finish = choice.finish_reason;
			last = chunk as unknown as Record<string, unknown>;
		}
		expect(pieces).toBeGreaterThan(1);
		expect(finish).toBe('stop');
		const value = JSON.parse(text);
		expect(new Ajv().validate(SCHEMA, value), text).toBe(true);
		expect(last.usage).toMatchObject({ completion_tokens: expect.any(Number), prompt_tokens: expect.any(Number) });
		expect(last.expert).toMatchObject({ experts: ['json-parser@2.0.0'], constraint: 'json-schema' });
	});

	it("follows neo4j-cypher's declared output without response_format, and json_object asks for any JSON", async () => {
		const cypher = await client.chat.completions.create({
			model: 'expert-base-tiny',
			messages: [{ role: 'user', content: 'Write a Cypher query that returns every Person.' }],
			max_tokens: 48,
			experts: ['neo4j-cypher']
		} as WithExperts<OpenAI.ChatCompletionCreateParamsNonStreaming>);
		const query = cypher.choices[0].message.content ?? '';
		expect(cypherSyntaxErrors(query), query).toEqual([]);
		expect((cypher as unknown as { expert: { experts: string[]; constraint: string } }).expert).toMatchObject({
			experts: ['english-basic@1.0.0', 'neo4j-cypher@1.0.0'],
			constraint: 'cypher'
		});
		const json = await client.chat.completions.create({
			model: 'x',
			messages: [{ role: 'user', content: 'Any JSON.' }],
			max_tokens: 30,
			response_format: { type: 'json_object' }
		});
		expect(() => JSON.parse(json.choices[0].message.content ?? '')).not.toThrow();
		expect(json.usage?.completion_tokens).toBeLessThanOrEqual(30);
		const models = await client.models.list();
		expect(models.data.map((m) => m.id)).toEqual(['expert-base-tiny']);
	});

	it('answers bad requests with OpenAI-shaped 4xx errors that name the problem', async () => {
		const refused = async (body: Record<string, unknown>) => {
			const error = await client.chat.completions
				.create(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming)
				.catch((e: unknown) => e);
			expect(error).toBeInstanceOf(OpenAI.APIError);
			return error as InstanceType<typeof OpenAI.APIError>;
		};
		const empty = await refused({ model: 'x', messages: [] });
		expect(empty.status).toBe(400);
		expect(empty.message).toMatch(/messages: must hold at least one message/);
		expect(
			(await refused({ model: 'x', messages: [{ role: 'user', content: 'hi' }], experts: ['no-such-expert'] })).message
		).toMatch(/no-such-expert/);
		expect(
			(
				await refused({
					model: 'x',
					messages: [{ role: 'user', content: 'hi' }],
					response_format: { type: 'json_schema', json_schema: { name: 'p', schema: { type: 'string', pattern: 'x' } } }
				})
			).message
		).toMatch(/unsupported keyword pattern/);
		expect(
			(
				await refused({
					model: 'x',
					messages: [{ role: 'user', content: 'hi' }],
					max_tokens: 3,
					response_format: { type: 'json_schema', json_schema: { name: 'p', schema: SCHEMA } }
				})
			).message
		).toMatch(/too few for the shortest valid json-schema output/);
		expect(
			(
				await refused({
					model: 'x',
					messages: [{ role: 'user', content: 'hi' }],
					stream: true,
					experts: ['json-parser', 'neo4j-cypher']
				})
			).message
		).toMatch(/declare different outputs/);
	});

	it('asks for the bearer token when started with one, and refuses to bind beyond loopback without', async () => {
		const anonymous = await fetch(`${guarded.url}/v1/models`);
		expect(anonymous.status).toBe(401);
		const withToken = new OpenAI({ baseURL: `${guarded.url}/v1`, apiKey: 'sesame', maxRetries: 0 });
		expect((await withToken.models.list()).data).toHaveLength(1);
		await expect(
			startGenerationServer({ context: {} as never, modelName: 'm', host: '0.0.0.0', port: 0 })
		).rejects.toThrow(/beyond loopback\) needs --token/);
	});

	it('`expert serve --json` prints its URL and answers', async () => {
		const child = spawn(
			process.execPath,
			[
				...[path.resolve(import.meta.dirname, '../../src/cli/expert.js')],
				...['serve', '--port', '0', '--threads', '1', '--json']
			],
			{ stdio: ['ignore', 'pipe', 'pipe'] }
		);
		try {
			const line = await new Promise<string>((resolve, reject) => {
				child.stdout.on('data', (chunk) => resolve(String(chunk).split('\n')[0]));
				child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
			});
			const { url, experts } = JSON.parse(line);
			expect(experts).toContain('json-parser');
			const answer = await new OpenAI({ baseURL: `${url}/v1`, apiKey: 'x', maxRetries: 0 }).chat.completions.create({
				model: 'x',
				messages: [{ role: 'user', content: 'hi' }],
				max_tokens: 4
			});
			expect(answer.choices[0].finish_reason).toMatch(/stop|length/);
		} finally {
			child.kill('SIGTERM');
		}
	});
});
