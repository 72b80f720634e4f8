// Where the trainer commands take their bearer token from: --token-file (first line), else --token, else
// $EXPERT_TRAINER_TOKEN; an unreadable or empty file is a one-line error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveToken } from '../../src/cli/token-option.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'token-option-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trainer token sources', () => {
	it('reads the first line of --token-file before --token and the environment', () => {
		const file = path.join(dir, 'token');
		writeFileSync(file, '  from-file \nsecond line\n');
		expect(resolveToken({ tokenFile: file, token: 'from-flag' }, { EXPERT_TRAINER_TOKEN: 'from-env' })).toBe(
			'from-file'
		);
		expect(resolveToken({ token: 'from-flag' }, { EXPERT_TRAINER_TOKEN: 'from-env' })).toBe('from-flag');
		expect(resolveToken({}, { EXPERT_TRAINER_TOKEN: 'from-env' })).toBe('from-env');
		expect(resolveToken({}, { EXPERT_TRAINER_TOKEN: '' })).toBeUndefined();
	});

	it('refuses a missing or empty token file in one line', () => {
		expect(() => resolveToken({ tokenFile: path.join(dir, 'nope') })).toThrow(
			/^--token-file .*nope: cannot read it \(ENOENT\)$/
		);
		writeFileSync(path.join(dir, 'empty'), '\n');
		expect(() => resolveToken({ tokenFile: path.join(dir, 'empty') })).toThrow(/: the file is empty$/);
	});
});
