// Who may talk to a local service (the trainer, `expert serve`): a bearer token (mandatory when bound beyond
// loopback), and browsers only from the configured CORS origins. Installed as a Fastify onRequest hook.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ExpertError } from '../errors.ts';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export interface AccessOptions {
	host: string;
	token?: string;
	corsOrigins: string[];
}

/** A service started on a port: where it answers, its Fastify app, and how to stop it. */
export interface RunningServer {
	url: string;
	app: FastifyInstance;
	close(): Promise<void>;
}

/** A service's access settings (loopback unless a host is given), refusing one that would be exposed without a
 * token. */
export function checkedAccess(options: { host?: string; token?: string; corsOrigins?: string[] }): AccessOptions {
	const access = { host: options.host ?? '127.0.0.1', token: options.token, corsOrigins: options.corsOrigins ?? [] };
	if (!LOOPBACK_HOSTS.has(access.host) && !access.token) {
		throw new ExpertError(
			'token-required',
			`binding to ${access.host} (beyond loopback) needs --token (or --token-file, or $EXPERT_TRAINER_TOKEN)`
		);
	}
	return access;
}

function tokenMatches(header: string | undefined, token: string): boolean {
	const expected = Buffer.from(`Bearer ${token}`);
	const given = Buffer.from(header ?? '');
	return given.length === expected.length && timingSafeEqual(given, expected);
}

export function installAccessControl(app: FastifyInstance, options: AccessOptions): void {
	const allowed = new Set(options.corsOrigins);
	app.addHook('onRequest', async (request, reply) => {
		const origin = request.headers.origin;
		if (origin !== undefined) {
			if (!allowed.has(origin))
				throw new ExpertError('origin-not-allowed', `origin ${origin} is not allowed (see --cors-origin)`);
			reply.header('access-control-allow-origin', origin);
			reply.header('vary', 'Origin');
			if (request.method === 'OPTIONS') {
				reply.header('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
				reply.header('access-control-allow-headers', 'authorization, content-type, last-event-id');
				reply.header('access-control-max-age', '600');
				return reply.code(204).send();
			}
		}
		if (options.token && !tokenMatches(request.headers.authorization, options.token)) {
			throw new ExpertError('unauthorized', 'missing or wrong bearer token (send Authorization: Bearer <token>)');
		}
	});
}
