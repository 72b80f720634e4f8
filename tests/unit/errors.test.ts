// The error vocabulary (src/lib/errors.ts): every code thrown in src is one of ERROR_CODES and every code there is
// thrown somewhere; exit and HTTP statuses come from the table; across a real MessageChannel, Comlink with
// carryErrorCodes (src/lib/worker/error-transfer.ts) delivers an ExpertError with its code, other errors as before.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ExpertError, exitStatusOf, httpStatusOf, isErrorCode } from '../../src/lib/errors.ts';
import { carryErrorCodes } from '../../src/lib/worker/error-transfer.ts';

const SRC = path.resolve(import.meta.dirname, '../../src');
const sources = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
	.filter((file) => /\.(ts|svelte)$/.test(file) && file !== path.join('lib', 'errors.ts'))
	.map((file) => ({ file, text: readFileSync(path.join(SRC, file), 'utf8') }));

describe('ERROR_CODES', () => {
	it('holds every code thrown in src, each spelled in kebab case, and nothing never thrown', () => {
		const thrown = new Set(
			sources.flatMap(({ text }) => [...text.matchAll(/(?:ExpertError|super)\(\s*'([^']+)'/g)].map((match) => match[1]))
		);
		expect(thrown.size).toBeGreaterThan(100);
		expect([...thrown].filter((code) => !isErrorCode(code))).toEqual([]);
		for (const code of Object.keys(ERROR_CODES)) expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
		const unused = Object.keys(ERROR_CODES).filter((code) => !sources.some(({ text }) => text.includes(`'${code}'`)));
		expect(unused).toEqual([]);
	});

	it('gives each failure its exit status and HTTP status', () => {
		expect(exitStatusOf(new ExpertError('missing-file', 'x: no such file'))).toBe(1);
		expect(exitStatusOf(new ExpertError('bad-option', '--top must be a positive integer'))).toBe(2);
		expect(exitStatusOf(new TypeError('a bug'))).toBe(70);
		expect(httpStatusOf(new ExpertError('job-not-found', 'no job 7'))).toBe(404);
		expect(httpStatusOf(new ExpertError('queue-full', 'queue full'))).toBe(429);
		expect(httpStatusOf(new ExpertError('bad-job-request', 'lora.rank: too big'))).toBe(400);
	});
});

describe('carryErrorCodes', () => {
	it('delivers an ExpertError across a MessageChannel with its code; a foreign error stays a plain Error', async () => {
		carryErrorCodes();
		const { port1, port2 } = new MessageChannel();
		Comlink.expose(
			{
				refuse: () => {
					throw new ExpertError('wrong-base', 'built for another base');
				},
				crash: () => {
					throw new RangeError('out of range');
				}
			},
			port1
		);
		const remote = Comlink.wrap<{ refuse(): void; crash(): void }>(port2);
		const refused = await remote.refuse().catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(ExpertError);
		expect(refused).toMatchObject({ code: 'wrong-base', message: 'built for another base' });
		const crashed = await remote.crash().catch((error: unknown) => error);
		expect(crashed).not.toBeInstanceOf(ExpertError);
		expect((crashed as Error).message).toBe('out of range');
		port1.close();
		port2.close();
	});
});
