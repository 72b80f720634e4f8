// The classifier chooses each answer field as a continuation that runs up to the next key's letters; with
// the shipped tokenizer those pieces must tokenize exactly like the full training answer (same BPE merges).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classificationAnswer, type Classification } from '../../src/lib/classify/taxonomy.ts';
import { loadTokenizer } from '../../src/lib/runtime/tokenizer.ts';

const MODEL = path.resolve(import.meta.dirname, '../../static/models/expert-base-tiny');
const ANSWERS: Classification[] = [
	{ type: 'source-code', language: 'C++', technologies: [] },
	{ type: 'query', language: 'Cypher', technologies: ['neo4j'] },
	{ type: 'data', language: 'JSON with Comments', technologies: ['json-schema', 'npm'] },
	{ type: 'script', language: 'Shell', technologies: ['docker', 'git'] },
	{ type: 'other', language: 'none', technologies: [] }
];

describe('classifier answer pieces tokenize like the whole answer', async () => {
	const tokenizer = await loadTokenizer(MODEL);
	it.each(ANSWERS.map((a) => [classificationAnswer(a), a] as const))('%s', (answer, { type, language }) => {
		const full = tokenizer.encode(answer);
		for (const piece of [`{"type":"${type}","language`, `{"type":"${type}","language":"${language}","technologies`]) {
			const ids = tokenizer.encode(piece);
			expect(full.slice(0, ids.length)).toEqual(ids);
		}
		expect(tokenizer.encode(`{"type":"${type}","language":"${language}","technologies`).length).toBeLessThan(
			full.length
		);
	});
});
