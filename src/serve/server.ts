// `expert serve`'s HTTP service: OpenAI-compatible chat completions (POST /v1/chat/completions, streamed as
// SSE when asked) and GET /v1/models over one loaded base, so existing OpenAI clients call Expert locally.
// One generation runs at a time (one model); others wait in order. A client that hangs up cancels its own.
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { describeError, ExpertError, httpStatusOf, isExpertError, type ErrorCode } from '../lib/errors.ts';
import { checkedAccess, installAccessControl, type RunningServer } from '../lib/http/access-control.ts';
import {
	chunkBody,
	completionBody,
	parseChatRequest,
	runChatCompletion,
	type ChatResult,
	type GenerationContext
} from '../lib/generation/chat-completion.ts';

export interface GenerationServerOptions {
	context: GenerationContext;
	/** The id /v1/models lists and answers carry. */
	modelName: string;
	host?: string;
	port?: number;
	token?: string;
	corsOrigins?: string[];
}

export type GenerationServer = RunningServer;

export async function startGenerationServer(options: GenerationServerOptions): Promise<GenerationServer> {
	const access = checkedAccess(options);
	const host = access.host;
	const app = Fastify({ bodyLimit: 4 * 1024 * 1024, logger: false, forceCloseConnections: true });
	app.setErrorHandler((error, _request, reply) => {
		// OpenAI's error shape, so clients raise their usual errors.
		if (isExpertError(error))
			return reply
				.code(httpStatusOf(error))
				.send({ error: { message: error.message, type: 'invalid_request_error', code: error.code } });
		const status = (error as { statusCode?: number }).statusCode;
		if (status && status >= 400 && status < 500)
			return reply.code(status).send({
				error: {
					message: describeError(error),
					type: 'invalid_request_error',
					code: 'bad-request' satisfies ErrorCode
				}
			});
		process.stderr.write(`serve: internal error: ${(error as Error).stack}\n`);
		return reply.code(500).send({
			error: {
				message: 'internal error (see the serve log)',
				type: 'server_error',
				code: 'internal' satisfies ErrorCode
			}
		});
	});
	installAccessControl(app, access);

	let queue: Promise<unknown> = Promise.resolve();
	/** Runs `work` after every earlier generation has finished. */
	const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
		const turn = queue.then(work, work);
		queue = turn.catch(() => undefined);
		return turn;
	};
	const created = () => Math.floor(Date.now() / 1000);

	app.get('/v1/models', async () => ({
		object: 'list',
		data: [{ id: options.modelName, object: 'model', created: created(), owned_by: 'expert' }]
	}));
	app.get('/health', async () => ({ ok: true, model: options.modelName }));

	app.post('/v1/chat/completions', async (request, reply) => {
		const chat = parseChatRequest(request.body);
		const envelope = { id: `chatcmpl-${randomUUID()}`, model: chat.model ?? options.modelName, created: created() };
		const hangUp = new AbortController();
		reply.raw.once('close', () => {
			if (!reply.raw.writableFinished) hangUp.abort();
		});
		if (!chat.stream) {
			const result = await inTurn(() => runChatCompletion(options.context, chat, undefined, hangUp.signal));
			return completionBody(envelope, result);
		}
		// Streaming: errors found before the first byte (bad schema, unknown expert) still answer 4xx.
		let started = false;
		const start = () => {
			if (started) return;
			started = true;
			reply.hijack();
			reply.raw.writeHead(200, {
				...(reply.getHeaders() as Record<string, string>),
				'content-type': 'text/event-stream',
				'cache-control': 'no-cache',
				connection: 'keep-alive'
			});
		};
		const gone = () => reply.raw.destroyed || reply.raw.writableEnded;
		const send = (body: unknown) => {
			if (!gone()) reply.raw.write(`data: ${JSON.stringify(body)}\n\n`);
		};
		let first = true;
		let result: ChatResult;
		try {
			result = await inTurn(() =>
				runChatCompletion(
					options.context,
					chat,
					(text) => {
						start();
						send(chunkBody(envelope, { text, first }));
						first = false;
					},
					hangUp.signal
				)
			);
		} catch (error) {
			if (!started) throw error;
			send({
				error: {
					message: isExpertError(error) ? error.message : 'internal error (see the serve log)',
					type: 'server_error',
					code: isExpertError(error) ? error.code : ('internal' satisfies ErrorCode)
				}
			});
			if (!gone()) reply.raw.end();
			if (!isExpertError(error)) process.stderr.write(`serve: internal error: ${(error as Error).stack}\n`);
			return;
		}
		start();
		send(chunkBody(envelope, { result, includeUsage: chat.stream_options?.include_usage ?? false }));
		if (!gone()) reply.raw.end('data: [DONE]\n\n');
	});

	let address: string;
	try {
		address = await app.listen({ host, port: options.port ?? 8080 });
	} catch (error) {
		throw new ExpertError(
			'cannot-listen',
			`cannot listen on ${host}:${options.port ?? 8080} (${describeError(error)})`
		);
	}
	return { url: address, app, close: () => app.close() };
}
