// Validates dataset records against the JSON Schemas shipped in schemas/ (one per format), and checks
// that each record's id matches its content.
import { Ajv, type ValidateFunction } from 'ajv';
import instructionSchema from './schemas/instruction.schema.json' with { type: 'json' };
import chatSchema from './schemas/chat.schema.json' with { type: 'json' };
import preferenceSchema from './schemas/preference_pairs.schema.json' with { type: 'json' };
import { formatOfRecord, recordId, type DatasetFormat, type DatasetRecord, type Domain } from './formats.ts';

const ajv = new Ajv({ allErrors: false });
const validators: Record<DatasetFormat, ValidateFunction> = {
	instruction: ajv.compile(instructionSchema),
	chat: ajv.compile(chatSchema),
	preference_pairs: ajv.compile(preferenceSchema)
};

/** Problems with one parsed record, as short phrases (empty when it is valid). */
export function recordProblems(value: unknown, expectedFormat?: DatasetFormat): string[] {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['not a JSON object'];
	const format = expectedFormat ?? formatOfRecord(value as Record<string, unknown>);
	const validate = validators[format];
	if (!validate(value)) {
		return (validate.errors ?? []).map(
			(e) =>
				`${format} schema: ${e.instancePath || '(record)'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` "${e.params.additionalProperty}"` : ''}`
		);
	}
	const record = value as DatasetRecord;
	if ('messages' in record) {
		const last = record.messages[record.messages.length - 1];
		if (last.role !== 'assistant') return ['chat: the last message must be from the assistant'];
	}
	if ('chosen' in record && record.chosen === record.rejected) return ['preference: chosen and rejected are identical'];
	const expectedId = recordId(record.domain as Domain, record);
	if (record.id !== expectedId) return [`id ${record.id} does not match its content (expected ${expectedId})`];
	return [];
}
