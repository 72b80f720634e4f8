// Linguist's name table as the classifier's candidate list: exact file names, the longest extension,
// shebang interpreters (direct and through env), and nothing for unknown names.
import { describe, expect, it } from 'vitest';
import { languageCandidates, LINGUIST_LANGUAGES } from '../../src/lib/classify/linguist-names.ts';

describe('languageCandidates', () => {
	it('knows a unique extension and is case-insensitive about it', () => {
		expect(languageCandidates('main.rs', '')).toContain('Rust');
		expect(languageCandidates('QUERY.CYPHER', '')).toEqual(['Cypher']);
	});

	it('lists every language an ambiguous extension allows, alphabetically', () => {
		const header = languageCandidates('stack.h', '');
		expect(header).toEqual(expect.arrayContaining(['C', 'C++', 'Objective-C']));
		expect(header).toEqual([...header].sort());
	});

	it('prefers an exact file name and the longest extension', () => {
		expect(languageCandidates('Dockerfile', '')).toEqual(['Dockerfile']);
		expect(languageCandidates('Cargo.lock', '')).not.toEqual(languageCandidates('x.lock', ''));
	});

	it('falls back to the shebang interpreter, also through env with flags', () => {
		expect(languageCandidates('fizzbuzz', '#!/usr/bin/env -S python3 -u\nprint(1)')).toContain('Python');
		expect(languageCandidates('run', '#!/bin/bash\necho hi')).toContain('Shell');
		expect(languageCandidates('data', 'no shebang here')).toEqual([]);
	});

	it('exposes the whole Linguist language list', () => {
		expect(LINGUIST_LANGUAGES.length).toBeGreaterThan(500);
		expect(LINGUIST_LANGUAGES).toContain('JSON');
	});
});
