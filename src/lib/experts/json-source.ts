// Shared first step of every package file parser: JSON text → value, with a one-line error naming
// the file and the position of the syntax error, and zod issues turned into "source: field: problem".
import type { z } from 'zod';
import { ExpertError, type ErrorCode } from '../errors.ts';
import { jsonSyntaxReason } from '../json-error.ts';

/** Parses JSON text; a syntax error becomes an ExpertError with `code` naming the file. */
export function parseJsonText(jsonText: string, source: string, code: ErrorCode): unknown {
	try {
		return JSON.parse(jsonText);
	} catch (error) {
		throw new ExpertError(code, `${source}: malformed JSON (${jsonSyntaxReason(error)})`);
	}
}

/** Dotted path of a zod issue, e.g. "constraints.requires[1]" ("(root)" for the whole value). */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
	let text = '';
	for (const key of path) text += typeof key === 'number' ? `[${key}]` : `${text ? '.' : ''}${String(key)}`;
	return text || '(root)';
}

/** Every problem zod found, one short line each ("field: message"). */
export function describeIssues(error: z.ZodError): string[] {
	return error.issues.map((issue) => `${issuePath(issue.path)}: ${issue.message}`);
}

/** Validates a parsed value against a schema; all problems go into one ExpertError line. */
export function parseWithSchema<T>(schema: z.ZodType<T>, value: unknown, source: string, code: ErrorCode): T {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	throw new ExpertError(code, `${source}: ${describeIssues(result.error).join('; ')}`);
}
