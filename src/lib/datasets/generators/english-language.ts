// Offline english-language examples from real English prose in the corpus: grammar correction of
// sentences broken by known corruptions, continuation with the next real sentence, and sentence ordering.
import { ExpertError } from '../../errors.ts';
import type { Difficulty, Example } from '../formats.ts';
import type { SeededRandom } from '../hashing.ts';
import type { Corpora } from '../corpus.ts';
import { extractProse } from '../english-prose.ts';
import { pickWeighted, type OfflineGenerator } from './generator.ts';

type Corruption = (sentence: string, rng: SeededRandom) => string | null;

function replaceWordAt(
	sentence: string,
	rng: SeededRandom,
	pattern: RegExp,
	replace: (word: string) => string
): string | null {
	const matches = [...sentence.matchAll(pattern)];
	if (matches.length === 0) return null;
	const m = rng.pick(matches);
	return sentence.slice(0, m.index) + replace(m[0]) + sentence.slice(m.index! + m[0].length);
}

const SWAPS: Record<string, string> = {
	is: 'are',
	are: 'is',
	was: 'were',
	were: 'was',
	has: 'have',
	have: 'has',
	does: 'do',
	do: 'does',
	its: "it's",
	"it's": 'its',
	their: 'there',
	there: 'their',
	then: 'than',
	than: 'then',
	your: "you're"
};

/** Known corruptions, grouped by how hard they are to spot. */
const CORRUPTIONS: Record<Difficulty, Record<string, Corruption>> = {
	easy: {
		'lower-case start': (s) => (/^[A-Z][a-z]/.test(s) ? s[0].toLowerCase() + s.slice(1) : null),
		'missing final punctuation': (s) => s.slice(0, -1),
		'repeated word': (s, rng) => replaceWordAt(s, rng, /\b[a-z]{2,}\b/g, (w) => `${w} ${w}`)
	},
	medium: {
		'swapped words': (s, rng) =>
			replaceWordAt(s, rng, /\b[a-z]+ [a-z]+\b/g, (pair) => pair.split(' ').reverse().join(' ')),
		'missing article': (s, rng) => replaceWordAt(s, rng, /\b(the|a|an) (?=\w)/g, () => ''),
		'wrong article': (s, rng) => replaceWordAt(s, rng, /\b(a|an) (?=\w)/g, (w) => (w === 'a ' ? 'an ' : 'a ')),
		misspelling: (s, rng) =>
			replaceWordAt(s, rng, /\b[a-z]{5,}\b/g, (w) => {
				const i = rng.int(1, w.length - 3);
				return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
			})
	},
	hard: {
		'agreement or homophone': (s, rng) =>
			replaceWordAt(
				s,
				rng,
				/\b(is|are|was|were|has|have|does|do|its|it's|their|there|then|than|your)\b/g,
				(w) => SWAPS[w] ?? w
			),
		'two errors': (s, rng) => {
			const first = CORRUPTIONS.medium[rng.pick(Object.keys(CORRUPTIONS.medium))](s, rng);
			return first && CORRUPTIONS.easy['repeated word'](first, rng);
		}
	}
};

const CONTEXT_SENTENCES: Record<Difficulty, number> = { easy: 3, medium: 2, hard: 1 };
const ORDER_LENGTH: Record<Difficulty, number> = { easy: 3, medium: 4, hard: 5 };

export function createEnglishLanguageGenerator(corpora: Corpora): OfflineGenerator {
	const paragraphs = extractProse(corpora.linguist);
	const sentences = paragraphs.flatMap((p) => p.sentences.map((text) => ({ text, source: p.source })));
	if (sentences.length < 10)
		throw new ExpertError('corpus-missing', 'english-language: too little English prose in the corpora');
	/** The sentences of each source document, in reading order. */
	const bySource = new Map<string, string[]>();
	for (const p of paragraphs) bySource.set(p.source, [...(bySource.get(p.source) ?? []), ...p.sentences]);
	const documents = [...bySource.entries()].map(([source, texts]) => ({ source, sentences: texts }));

	return {
		domain: 'english-language',
		tasks: ['grammar-correction', 'continuation', 'ordering'],
		generate(rng, difficulty): Example {
			const task = pickWeighted(rng, { 'grammar-correction': 5, continuation: 2, ordering: 2 });
			if (task === 'grammar-correction') {
				const { text, source } = rng.pick(sentences);
				const name = rng.pick(Object.keys(CORRUPTIONS[difficulty]));
				const broken = CORRUPTIONS[difficulty][name](text, rng);
				if (broken === null || broken === text) return this.generate(rng, difficulty);
				return {
					task,
					difficulty,
					source,
					instruction:
						'Correct the grammar, spelling and punctuation of this sentence. Return only the corrected sentence.',
					input: broken,
					output: text,
					rejected: broken
				};
			}
			const need = task === 'ordering' ? ORDER_LENGTH[difficulty] : 2;
			const usable = documents.filter((d) => d.sentences.length >= need);
			if (usable.length === 0) return this.generate(rng, 'easy');
			const doc = rng.pick(usable);
			if (task === 'continuation') {
				const target = rng.int(1, doc.sentences.length - 1);
				const context = doc.sentences.slice(Math.max(0, target - CONTEXT_SENTENCES[difficulty]), target).join(' ');
				const other = rng.pick(sentences).text;
				return {
					task,
					difficulty,
					source: doc.source,
					instruction: 'Continue this text with the next sentence.',
					input: context,
					output: doc.sentences[target],
					rejected: other === doc.sentences[target] ? doc.sentences[target - 1] : other
				};
			}
			const start = rng.int(0, doc.sentences.length - need);
			const ordered = doc.sentences.slice(start, start + need);
			let order = rng.shuffle(ordered.map((_, i) => i));
			if (order.every((v, i) => v === i)) order = [...order.slice(1), order[0]];
			const shown = order.map((original, position) => `${position + 1}. ${ordered[original]}`).join('\n');
			const answer = ordered.map((_, i) => order.indexOf(i) + 1).join(', ');
			return {
				task,
				difficulty,
				source: doc.source,
				instruction:
					'These sentences are out of order. Give the numbers of the sentences in their original order, comma-separated.',
				input: shown,
				output: answer,
				rejected: order.map((_, i) => i + 1).join(', ')
			};
		}
	};
}
