// The language head and its features, without a model run: a small hand-made head computes the logits its
// arithmetic says (bag mean, standardised pooled states, GELU layer, temperature), ranks among candidates or all
// languages with probabilities that sum to 1, moves the learnt prior as documented, flags uncertain answers, and
// refuses mis-shaped files in one line; bag ids lay out tokens, pairs and triples; a licence header is skipped;
// the shipped head loads.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	bagIds,
	featureText,
	leadingCommentEnd,
	ngramBucket,
	poolHidden,
	type LanguageFeatureShape
} from '../../src/lib/classify/language-features.ts';
import {
	CANDIDATE_PRIOR_SHIFT,
	LanguageHead,
	OPEN_SET_PRIOR_SHIFT,
	topThreeText,
	type LanguageHeadConfig
} from '../../src/lib/classify/language-head.ts';
import { oneLineExpertError } from '../fixtures/expert-error.ts';
import { serializeSafetensors } from '../../src/lib/experts/safetensors.ts';

const SHAPE: LanguageFeatureShape = { forwardTokens: 4, bagTokens: 4, pairBuckets: 3, tripleBuckets: 2 };
const VOCAB = 5;
const BAG_ROWS = VOCAB + SHAPE.pairBuckets + SHAPE.tripleBuckets;

function tinyHead(overrides: Partial<LanguageHeadConfig> = {}, shapes: Record<string, number[]> = {}) {
	const config: LanguageHeadConfig = {
		languages: ['C', 'C++', 'Rust'],
		shape: SHAPE,
		pooled_width: 2,
		bag_width: 2,
		hidden: 2,
		temperature: 2,
		counts: [1, 1, 1],
		...overrides
	};
	const tensor = (name: string, shape: number[], values: (i: number) => number) => {
		const used = shapes[name] ?? shape;
		const size = used.reduce((a, b) => a * b, 1);
		return { dtype: 'F32' as const, shape: used, data: Float32Array.from({ length: size }, (_, i) => values(i)) };
	};
	const p = 'base_model.model.language_head.';
	const bytes = serializeSafetensors({
		[`${p}bag_embedding.weight`]: tensor(
			'bag_embedding.weight',
			[BAG_ROWS, 2],
			(i) => (i % 2 === 0 ? 1 : -1) * (Math.floor(i / 2) + 1) * 0.1
		),
		[`${p}pooled_mean`]: tensor('pooled_mean', [2], () => 1),
		[`${p}pooled_std`]: tensor('pooled_std', [2], () => 2),
		[`${p}hidden.weight`]: tensor('hidden.weight', [2, 4], (i) => [1, 0, 0.5, 0, 0, 1, 0, -0.5][i]),
		[`${p}hidden.bias`]: tensor('hidden.bias', [2], () => 0.1),
		[`${p}output.weight`]: tensor('output.weight', [3, 2], (i) => [1, 0, 0, 1, -1, -1][i]),
		[`${p}output.bias`]: tensor('output.bias', [3], (i) => [0, 0.5, 0][i])
	});
	return { config, bytes };
}

const gelu = (x: number) => {
	// Reference erf from a long series (independent of the module's implementation).
	let sum = 0;
	let term = x / Math.SQRT2;
	const z2 = (x * x) / 2;
	for (let n = 0; n < 200; n++) {
		sum += term / (2 * n + 1);
		term *= -z2 / (n + 1);
	}
	return 0.5 * x * (1 + (2 / Math.sqrt(Math.PI)) * sum);
};

describe('language head', () => {
	it('computes bag mean, standardised pooled states, a GELU layer and temperature-scaled logits', () => {
		const { config, bytes } = tinyHead();
		const head = LanguageHead.fromFiles(JSON.stringify(config), bytes, 'tiny');
		const features = { pooled: Float32Array.of(3, -1), bag: Int32Array.of(0, 2) };
		// bag rows 0 and 2: (0.1, -0.1) and (0.3, -0.3) → mean (0.2, -0.2); pooled (3-1)/2 = 1, (-1-1)/2 = -1
		const input = [0.2, -0.2, 1, -1];
		const hidden = [gelu(0.1 + 1 * input[0] + 0.5 * input[2]), gelu(0.1 + 1 * input[1] - 0.5 * input[3])];
		const expected = [hidden[0], hidden[1] + 0.5, -hidden[0] - hidden[1]].map((x) => x / 2);
		const logits = head.logits(features);
		expected.forEach((value, i) => expect(logits[i]).toBeCloseTo(value, 6));
	});

	it('ranks among the known candidates or all languages, probabilities summing to 1, with the documented prior shifts', () => {
		const { config, bytes } = tinyHead({ counts: [100, 1, 1] });
		const head = LanguageHead.fromFiles(JSON.stringify(config), bytes, 'tiny');
		const features = { pooled: Float32Array.of(1, 1), bag: Int32Array.of(1) };
		const logits = head.logits(features);
		const among = head.rank(features, ['C', 'Rust', 'Klingon']);
		expect(among.ranked.map((r) => r.language).sort()).toEqual(['C', 'Rust']);
		expect(among.ranked.reduce((s, r) => s + r.probability, 0)).toBeCloseTo(1, 6);
		const c = logits[0] + CANDIDATE_PRIOR_SHIFT * Math.log(100);
		const rust = logits[2];
		expect(among.ranked.find((r) => r.language === 'C')!.probability).toBeCloseTo(
			Math.exp(c) / (Math.exp(c) + Math.exp(rust)),
			6
		);
		const all = head.rank(features);
		expect(all.ranked).toHaveLength(3);
		const open = [logits[0] + OPEN_SET_PRIOR_SHIFT * Math.log(100), logits[1], logits[2]];
		const total = open.reduce((s, x) => s + Math.exp(x), 0);
		expect(all.ranked.find((r) => r.language === 'C')!.probability).toBeCloseTo(Math.exp(open[0]) / total, 6);
		expect(all.ranked[0].probability).toBeGreaterThanOrEqual(all.ranked[1].probability);
		expect(all.uncertain).toBe(all.ranked[0].probability < 0.5);
		expect(topThreeText(all)).toMatch(/^[\w+]+ \d\.\d\d, [\w+]+ \d\.\d\d, [\w+]+ \d\.\d\d$/);
	});

	it('refuses a mis-shaped tensor, a missing count and bad JSON in one line', () => {
		const { config, bytes } = tinyHead({}, { 'output.bias': [4] });
		const message = oneLineExpertError;
		expect(message(() => LanguageHead.fromFiles(JSON.stringify(config), bytes, 'tiny'))).toMatch(
			/output\.bias must have shape \[3\], not \[4\]/
		);
		const good = tinyHead();
		expect(
			message(() => LanguageHead.fromFiles(JSON.stringify({ ...good.config, counts: [1] }), good.bytes, 'tiny'))
		).toMatch(/a count per language/);
		expect(message(() => LanguageHead.fromFiles('{', good.bytes, 'tiny'))).toMatch(/head_config\.json is not JSON/);
	});
});

describe('language features', () => {
	it('lays out tokens, then hashed pairs, then hashed triples, within the bag window', () => {
		const ids = bagIds([1, 2, 3, 4, 0], VOCAB, SHAPE);
		expect([...ids.slice(0, 4)]).toEqual([1, 2, 3, 4]);
		expect(ids).toHaveLength(4 + 3 + 2);
		expect(ids[4]).toBe(VOCAB + ngramBucket([1, 2], SHAPE.pairBuckets));
		expect(ids[7]).toBe(VOCAB + SHAPE.pairBuckets + ngramBucket([1, 2, 3], SHAPE.tripleBuckets));
		expect([...ids].every((id) => id >= 0 && id < BAG_ROWS)).toBe(true);
		expect(ngramBucket([1, 2], 1000)).not.toBe(ngramBucket([2, 1], 1000));
	});

	it('skips a long licence header after the first lines, and never code (#include, a shebang)', () => {
		const licence = `/*\n${' * This program is free software; you can redistribute it and/or modify it.\n'.repeat(8)} */\n\n`;
		const code = '#include <stdio.h>\nint main(void) { return 0; }\n';
		expect(leadingCommentEnd(licence + code)).toBe(licence.length);
		const text = featureText(licence + code);
		expect(text.startsWith(licence.slice(0, 200))).toBe(true);
		expect(text.endsWith(`\n${code}`)).toBe(true);
		expect(leadingCommentEnd(code)).toBe(0);
		expect(leadingCommentEnd('#!/bin/sh\n# comment\necho hi\n')).toBe(0);
		expect(leadingCommentEnd('# one\n# two\nimport os\n')).toBe(12);
		// A short header is kept whole (its comment style is a cue); an all-comment text is read as it is.
		expect(featureText('// short\nint x;\n')).toBe('// short\nint x;\n');
		expect(featureText(licence)).toBe(licence);
	});

	it('pools hidden states into [mean ; max]', () => {
		expect([...poolHidden(Float32Array.of(1, -2, 3, 4), 2)]).toEqual([2, 1, 3, 4]);
	});
});

describe('the shipped language-id head', () => {
	it('loads from experts/language-id-v1 with one count per language', () => {
		const dir = path.resolve(import.meta.dirname, '../../experts/language-id-v1');
		const head = LanguageHead.fromFiles(
			readFileSync(path.join(dir, 'head_config.json'), 'utf8'),
			new Uint8Array(readFileSync(path.join(dir, 'adapter_model.safetensors'))),
			dir
		);
		expect(head.languages.length).toBeGreaterThan(100);
		for (const language of ['C', 'C++', 'Objective-C', 'Perl', 'Raku', 'Rust', 'Python'])
			expect(head.knows(language)).toBe(true);
	});
});
