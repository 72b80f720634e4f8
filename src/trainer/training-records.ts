// Parses a training dataset (JSONL, the formats of src/lib/datasets/formats.ts; provenance fields are
// optional here) into records for SFT (chat or instruction records) or DPO (prompt / chosen / rejected
// pairs); every problem is one ExpertError naming the line.
import { promptText, type ChatMessage } from '../lib/datasets/formats.ts';
import { ExpertError } from '../lib/errors.ts';
import { jsonSyntaxReason } from '../lib/json-error.ts';

export type TrainingMethod = 'sft' | 'dpo';

/** An SFT record, normalised to a conversation; loss applies to the assistant turns. */
export interface SftRecord {
	messages: ChatMessage[];
}

export interface PreferenceRecord {
	prompt: ChatMessage[];
	chosen: string;
	rejected: string;
}

export type TrainingRecords = { method: 'sft'; records: SftRecord[] } | { method: 'dpo'; records: PreferenceRecord[] };

const ROLES = new Set(['system', 'user', 'assistant']);

function fail(source: string, line: number, message: string): never {
	throw new ExpertError('bad-dataset', `${source} line ${line}: ${message}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseMessages(value: unknown, source: string, line: number): ChatMessage[] {
	if (!Array.isArray(value) || value.length === 0) fail(source, line, '`messages` must be a non-empty array');
	return value.map((message, index) => {
		if (
			!isObject(message) ||
			typeof message.role !== 'string' ||
			!ROLES.has(message.role) ||
			typeof message.content !== 'string'
		) {
			fail(source, line, `messages[${index}] must be {role: system|user|assistant, content: string}`);
		}
		return { role: message.role as ChatMessage['role'], content: message.content };
	});
}

function parseSftRecord(record: Record<string, unknown>, source: string, line: number): SftRecord {
	if ('messages' in record) {
		const messages = parseMessages(record.messages, source, line);
		if (!messages.some((message) => message.role === 'assistant'))
			fail(source, line, 'the conversation has no assistant message to learn');
		return { messages };
	}
	if (typeof record.instruction === 'string' && typeof record.output === 'string') {
		if (record.input !== undefined && typeof record.input !== 'string') fail(source, line, '`input` must be a string');
		const user = promptText({ instruction: record.instruction, input: (record.input as string | undefined) ?? '' });
		return {
			messages: [
				{ role: 'user', content: user },
				{ role: 'assistant', content: record.output }
			]
		};
	}
	fail(source, line, 'an SFT record needs `messages` (chat) or string fields `instruction` and `output`');
}

function parsePreferenceRecord(record: Record<string, unknown>, source: string, line: number): PreferenceRecord {
	for (const field of ['prompt', 'chosen', 'rejected']) {
		if (!(field in record))
			fail(source, line, `a DPO record needs prompt, chosen and rejected; \`${field}\` is missing`);
	}
	if (typeof record.chosen !== 'string' || record.chosen === '')
		fail(source, line, '`chosen` must be a non-empty string');
	if (typeof record.rejected !== 'string' || record.rejected === '')
		fail(source, line, '`rejected` must be a non-empty string');
	const prompt: ChatMessage[] =
		typeof record.prompt === 'string'
			? [{ role: 'user', content: record.prompt }]
			: parseMessages(record.prompt, source, line);
	return { prompt, chosen: record.chosen, rejected: record.rejected };
}

/** Lines parsed between two yields to the event loop (a large upload must not stall the server). */
const LINES_PER_SLICE = 2000;

/** Parses JSONL text; blank lines are skipped, everything else must be a valid record for the method. */
export async function parseTrainingRecords(
	text: string,
	method: TrainingMethod,
	source = 'dataset'
): Promise<TrainingRecords> {
	const sft: SftRecord[] = [];
	const dpo: PreferenceRecord[] = [];
	const lines = text.split('\n');
	for (let index = 0; index < lines.length; index++) {
		if (index > 0 && index % LINES_PER_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
		const trimmed = lines[index].trim();
		if (trimmed === '') continue;
		let value: unknown;
		try {
			value = JSON.parse(trimmed);
		} catch (error) {
			fail(source, index + 1, `not valid JSON (${jsonSyntaxReason(error)})`);
		}
		if (!isObject(value)) fail(source, index + 1, 'a record must be a JSON object');
		if (method === 'dpo') dpo.push(parsePreferenceRecord(value, source, index + 1));
		else sft.push(parseSftRecord(value, source, index + 1));
	}
	if (sft.length + dpo.length === 0)
		throw new ExpertError('dataset-empty', `${source}: the dataset is empty (no records)`);
	return method === 'dpo' ? { method, records: dpo } : { method, records: sft };
}
