// Ground-truth labels for corpus files (document classification), for generated training data: the
// language is the linguist folder name, the type comes from the taxonomy's table and file-name rules, and
// technologies from the evidence detector. Evaluation uses independent technology labels instead.
import { documentTypeOf } from '../classify/document-type.ts';
import type { Classification } from '../classify/taxonomy.ts';
import { technologiesOf } from '../classify/technology-evidence.ts';

/** The full ground-truth label of a corpus file (`language` is its linguist folder name). */
export function labelCorpusFile(file: { language: string; fileName: string; content: string }): Classification {
	return {
		type: documentTypeOf(file.language, file.fileName),
		language: file.language,
		technologies: technologiesOf(file.language, file.fileName, file.content)
	};
}
