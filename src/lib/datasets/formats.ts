// Dataset record formats (instruction, chat, preference pairs): the shared vocabulary of domains,
// difficulties and formats, turning a generated example into a record with a content-derived id.
import { ExpertError } from '../errors.ts';
import { contentDigest, normalizeForDedup } from './hashing.ts';

export const DOMAINS = [
	'english-language',
	'json-parsing',
	'neo4j-cypher',
	'python-code',
	'rust-code',
	'document-classification'
] as const;
export type Domain = (typeof DOMAINS)[number];

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];
/** What a caller may ask for: one difficulty, or a mix drawn per record. */
export type DifficultyRequest = Difficulty | 'mixed';

export const FORMATS = ['instruction', 'chat', 'preference_pairs'] as const;
export type DatasetFormat = (typeof FORMATS)[number];

/** A format-independent example, as generators and providers produce it. */
export interface Example {
	task: string;
	difficulty: Difficulty;
	/** Provider name or corpus file the example came from. */
	source: string;
	instruction: string;
	input: string;
	output: string;
	/** A plausible but wrong answer, for preference pairs. */
	rejected?: string;
}

interface RecordCommon {
	id: string;
	domain: Domain;
	difficulty: Difficulty;
	source: string;
	task?: string;
}
export interface InstructionRecord extends RecordCommon {
	instruction: string;
	input: string;
	output: string;
}
export interface ChatMessage {
	role: 'system' | 'user' | 'assistant';
	content: string;
}
export interface ChatRecord extends RecordCommon {
	messages: ChatMessage[];
}
export interface PreferenceRecord extends RecordCommon {
	prompt: string;
	chosen: string;
	rejected: string;
}
export type DatasetRecord = InstructionRecord | ChatRecord | PreferenceRecord;

export function parseDomain(value: string): Domain {
	if ((DOMAINS as readonly string[]).includes(value)) return value as Domain;
	throw new ExpertError('unknown-domain', `unknown domain "${value}" (expected one of: ${DOMAINS.join(', ')})`);
}

export function parseFormat(value: string): DatasetFormat {
	if ((FORMATS as readonly string[]).includes(value)) return value as DatasetFormat;
	throw new ExpertError('unknown-format', `unknown format "${value}" (expected one of: ${FORMATS.join(', ')})`);
}

export function parseDifficulty(value: string): DifficultyRequest {
	if (value === 'mixed' || (DIFFICULTIES as readonly string[]).includes(value)) return value as DifficultyRequest;
	throw new ExpertError('unknown-difficulty', `unknown difficulty "${value}" (expected easy, medium, hard or mixed)`);
}

/** The user turn of an example: the instruction, then its input when there is one. */
export function promptText(example: Pick<Example, 'instruction' | 'input'>): string {
	return example.input ? `${example.instruction}\n\n${example.input}` : example.instruction;
}

/** The text that identifies a record's content: equal after normalization means duplicate. */
export function recordContentKey(record: DatasetRecord): string {
	if ('messages' in record) return record.messages.map((m) => `${m.role}:${m.content}`).join('\n');
	if ('prompt' in record) return `${record.prompt}\n${record.chosen}\n${record.rejected}`;
	return `${record.instruction}\n${record.input}\n${record.output}`;
}

/** The id of a record: its domain plus a digest of its normalized content. */
export function recordId(domain: Domain, record: DatasetRecord): string {
	return `${domain}-${contentDigest(normalizeForDedup(recordContentKey(record)))}`;
}

/** Builds a record of the requested format from an example (preference pairs need `rejected`). */
export function toRecord(example: Example, domain: Domain, format: DatasetFormat): DatasetRecord {
	const common = { id: '', domain, difficulty: example.difficulty, source: example.source, task: example.task };
	let record: DatasetRecord;
	if (format === 'instruction') {
		record = { ...common, instruction: example.instruction, input: example.input, output: example.output };
	} else if (format === 'chat') {
		record = {
			...common,
			messages: [
				{ role: 'user', content: promptText(example) },
				{ role: 'assistant', content: example.output }
			]
		};
	} else {
		if (!example.rejected || example.rejected === example.output) {
			throw new ExpertError(
				'no-rejected-answer',
				`example from ${example.source} has no rejected answer distinct from the chosen one`
			);
		}
		record = { ...common, prompt: promptText(example), chosen: example.output, rejected: example.rejected };
	}
	record.id = recordId(domain, record);
	return record;
}

/** The format a record is written in, judged by its fields. */
export function formatOfRecord(record: Record<string, unknown>): DatasetFormat {
	if ('messages' in record) return 'chat';
	if ('prompt' in record || 'chosen' in record) return 'preference_pairs';
	return 'instruction';
}
