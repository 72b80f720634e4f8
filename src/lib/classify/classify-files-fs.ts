// Classifies files one after another as `expert classify` does: each read under the input policy (unreadable,
// binary or too large → skipped with the reason), classified by the session, a file the classifier refuses
// skipped with why; stops before the next file once asked to. Node only.
import { describeError, isExpertError } from '../errors.ts';
import type { ClassificationSession, ClassifiedDocument } from './classification-session.ts';
import type { ExpertSelection } from './expert-selection.ts';
import { isSkipped, readInput, type ReadableInput, type SkippedInput } from './file-inputs-fs.ts';

export interface ClassifiedFile extends ClassifiedDocument {
	path: string;
}

export type FileOutcome = { row: ClassifiedFile } | { skipped: SkippedInput };

/** `inputs`: paths to read, inputs already read (standard input), or ones already skipped. */
export async function* classifyEach(
	session: ClassificationSession,
	selection: ExpertSelection,
	inputs: ReadonlyArray<string | ReadableInput | SkippedInput>,
	maxFileBytes: number,
	isInterrupted: () => boolean
): AsyncGenerator<FileOutcome> {
	for (const file of inputs) {
		if (isInterrupted()) return;
		const input = typeof file === 'string' ? await readInput(file, maxFileBytes) : file;
		if (isSkipped(input)) {
			yield { skipped: input };
			continue;
		}
		try {
			yield { row: { path: input.path, ...(await session.classify(input, selection)) } };
		} catch (error) {
			if (!isExpertError(error)) throw error;
			yield { skipped: { path: input.path, problem: `not classified (${describeError(error)})` } };
		}
	}
}
