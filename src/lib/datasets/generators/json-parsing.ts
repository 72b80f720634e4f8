// Offline json-parsing examples: validate (JSONTestSuite y_/n_ cases and generated documents), extract
// a value by path, list an object's keys, and repair a document broken by a known corruption. Every
// answer is computed with JSON.parse on the actual text.
import { ExpertError } from '../../errors.ts';
import type { Difficulty, Example } from '../formats.ts';
import type { SeededRandom } from '../hashing.ts';
import type { Corpora } from '../corpus.ts';
import { pickWeighted, type OfflineGenerator } from './generator.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const WORDS = [
	'id',
	'name',
	'title',
	'price',
	'tags',
	'owner',
	'email',
	'active',
	'count',
	'items',
	'address',
	'city',
	'zip',
	'score',
	'created',
	'version',
	'status',
	'meta',
	'labels',
	'level',
	'color',
	'size',
	'weight',
	'author',
	'year',
	'rating',
	'enabled',
	'limits',
	'region',
	'nodes',
	'edges',
	'path',
	'value',
	'unit',
	'kind',
	'notes'
];
const STRINGS = [
	'alpha',
	'Berlin',
	'ok',
	'pending',
	'Ada Lovelace',
	'red',
	'x-42',
	'café',
	'Zürich',
	'a "quoted" word',
	'line\nbreak',
	'emoji ☃',
	'',
	'tab\there',
	'C:\\temp',
	'n/a'
];

const SIZE: Record<Difficulty, { depth: number; width: number }> = {
	easy: { depth: 1, width: 3 },
	medium: { depth: 2, width: 4 },
	hard: { depth: 4, width: 5 }
};

function randomValue(rng: SeededRandom, depth: number, width: number): Json {
	const kind = depth <= 0 ? rng.int(0, 3) : rng.int(0, 5);
	if (kind === 0) return rng.pick(STRINGS) + (rng.next() < 0.5 ? '' : String(rng.int(1, 999)));
	if (kind === 1) return rng.next() < 0.3 ? Math.round(rng.next() * 1e4) / 100 : rng.int(-50, 5000);
	if (kind === 2) return rng.next() < 0.5;
	if (kind === 3) return rng.next() < 0.7 ? rng.pick(STRINGS) : null;
	if (kind === 4) return Array.from({ length: rng.int(1, width) }, () => randomValue(rng, depth - 1, width));
	return randomObject(rng, depth - 1, width);
}

function randomObject(rng: SeededRandom, depth: number, width: number): { [key: string]: Json } {
	const keys = rng.shuffle(WORDS).slice(0, rng.int(2, width));
	return Object.fromEntries(keys.map((k) => [k, randomValue(rng, depth, width)]));
}

function randomDocument(rng: SeededRandom, difficulty: Difficulty): { [key: string]: Json } {
	const { depth, width } = SIZE[difficulty];
	return randomObject(rng, depth, width);
}

function serialize(doc: Json, rng: SeededRandom): string {
	return rng.next() < 0.5 ? JSON.stringify(doc) : JSON.stringify(doc, null, 2);
}

/** Every path to a value in a document, as [path text, value]. */
function allPaths(doc: Json, prefix = ''): Array<[string, Json]> {
	const out: Array<[string, Json]> = [];
	if (Array.isArray(doc)) {
		doc.forEach((v, i) => {
			const p = `${prefix}[${i}]`;
			out.push([p, v], ...allPaths(v, p));
		});
	} else if (doc !== null && typeof doc === 'object') {
		for (const [k, v] of Object.entries(doc)) {
			const p = /^[A-Za-z_]\w*$/.test(k) ? (prefix ? `${prefix}.${k}` : k) : `${prefix}[${JSON.stringify(k)}]`;
			out.push([p, v], ...allPaths(v, p));
		}
	}
	return out;
}

/** Whether the text is one JSON value (RFC 8259, as JSON.parse reads it). */
export function isJsonText(text: string): boolean {
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
}

/** Known corruptions of valid JSON text; each returns null when it does not apply. */
const CORRUPTIONS: Record<string, (text: string, rng: SeededRandom) => string | null> = {
	'trailing comma': (t) => (/\}\s*$/.test(t) && t.trim() !== '{}' ? t.replace(/(\S)(\s*)\}\s*$/, '$1,$2}') : null),
	'single quotes': (t) => (t.includes('"') ? t.replace(/"([A-Za-z_]\w*)"\s*:/, "'$1':") : null),
	'unquoted key': (t) => (/"([A-Za-z_]\w*)"\s*:/.test(t) ? t.replace(/"([A-Za-z_]\w*)"\s*:/, '$1:') : null),
	'missing closing brace': (t) => (/\}\s*$/.test(t) ? t.replace(/\}\s*$/, '') : null),
	'missing comma': (t) => (/,(\s*)"/.test(t) ? t.replace(/,(\s*)"/, '$1"') : null),
	comment: (t) => (t.startsWith('{') ? t.replace('{', '{ // generated\n') : null),
	'python literal': (t) =>
		/\b(true|false|null)\b/.test(t)
			? t.replace(/\b(true|false|null)\b/, (m) => ({ true: 'True', false: 'False', null: 'None' })[m] ?? m)
			: null
};

export function createJsonParsingGenerator(corpora: Corpora): OfflineGenerator {
	const suite = corpora.jsonTestSuite
		.filter((c) => /^[yn]_/.test(c.name) && c.content.length <= 2000)
		.filter((c) => isJsonText(c.content) === c.name.startsWith('y_'));
	const realDocs = corpora.linguist
		.filter((f) => f.content.length <= 3000 && isJsonText(f.content))
		.map((f) => ({ source: f.path, doc: JSON.parse(f.content) as Json }))
		.filter(
			(d) => d.doc !== null && typeof d.doc === 'object' && !Array.isArray(d.doc) && Object.keys(d.doc).length > 1
		);

	function documentFor(rng: SeededRandom, difficulty: Difficulty): { source: string; doc: Json } {
		if (difficulty === 'hard' && realDocs.length > 0 && rng.next() < 0.5) return rng.pick(realDocs);
		return { source: 'generated', doc: randomDocument(rng, difficulty) };
	}

	return {
		domain: 'json-parsing',
		tasks: ['validate', 'extract', 'list-keys', 'fix'],
		generate(rng, difficulty): Example {
			const task = pickWeighted(rng, { validate: 3, extract: 3, 'list-keys': 2, fix: 2 });
			if (task === 'validate') {
				if (difficulty === 'hard' && suite.length > 0) {
					const testCase = rng.pick(suite);
					const valid = testCase.name.startsWith('y_');
					return {
						task,
						difficulty,
						source: `JSONTestSuite/test_parsing/${testCase.name}`,
						instruction: 'Is this a valid JSON document (RFC 8259)? Answer "valid" or "invalid".',
						input: testCase.content,
						output: valid ? 'valid' : 'invalid',
						rejected: valid ? 'invalid' : 'valid'
					};
				}
				const { source, doc } = documentFor(rng, difficulty);
				let text = serialize(doc, rng);
				if (rng.next() < 0.5) {
					const name = rng.pick(Object.keys(CORRUPTIONS));
					const broken = CORRUPTIONS[name](text, rng);
					if (broken !== null && !isJsonText(broken)) text = broken;
				}
				const valid = isJsonText(text);
				return {
					task,
					difficulty,
					source,
					instruction: 'Is this a valid JSON document (RFC 8259)? Answer "valid" or "invalid".',
					input: text,
					output: valid ? 'valid' : 'invalid',
					rejected: valid ? 'invalid' : 'valid'
				};
			}
			const { source, doc } = documentFor(rng, difficulty);
			const text = serialize(doc, rng);
			if (task === 'extract') {
				const paths = allPaths(doc);
				if (paths.length < 2) return this.generate(rng, difficulty);
				const [target, value] = rng.pick(paths);
				const wrong = paths.find(([p, v]) => p !== target && JSON.stringify(v) !== JSON.stringify(value));
				return {
					task,
					difficulty,
					source,
					instruction: `Return the JSON value at path \`${target}\` in this document, as compact JSON.`,
					input: text,
					output: JSON.stringify(value),
					rejected: wrong ? JSON.stringify(wrong[1]) : value === null ? '""' : 'null'
				};
			}
			if (task === 'list-keys') {
				const candidates: Array<[string, Json]> = [['(root)', doc], ...allPaths(doc)];
				const objects = candidates.filter(
					([, v]) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 1
				);
				if (objects.length === 0) return this.generate(rng, difficulty);
				const [target, value] = rng.pick(objects);
				const keys = Object.keys(value as object);
				return {
					task,
					difficulty,
					source,
					instruction: `List the keys of the object at \`${target}\` in document order, as a JSON array.`,
					input: text,
					output: JSON.stringify(keys),
					rejected: JSON.stringify(keys.slice(0, -1))
				};
			}
			const names = rng.shuffle(Object.keys(CORRUPTIONS));
			for (const name of names) {
				const broken = CORRUPTIONS[name](text, rng);
				if (broken === null || isJsonText(broken)) continue;
				return {
					task: 'fix',
					difficulty,
					source,
					instruction: 'This JSON document is broken. Return the corrected document, changing as little as possible.',
					input: broken,
					output: text,
					rejected: broken.replace(/\s+$/, '')
				};
			}
			if (source === 'generated')
				throw new ExpertError('generator-failed', 'json-parsing: no corruption applies to a generated document');
			return this.generate(rng, difficulty);
		}
	};
}
