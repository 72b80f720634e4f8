// Content-only scoring (the file name withheld, as for a pasted snippet): each tool's language top-1 over the
// same files, overall and on the 54 languages guesslang knows, with files/s; and the calibration of the
// model's probabilities (expected calibration error, 10 equal-width bins). Pure: answers come in as maps.
import { guesslangCovers } from './guesslang-baseline.ts';

export interface ToolAccuracy {
	tool: string;
	files: number;
	right: number;
	/** Files whose label is one of guesslang's 54 languages, and how many of those it got right. */
	coveredFiles: number;
	coveredRight: number;
	filesPerSecond: number;
}

export interface LabelledText {
	path: string;
	language: string;
}

export function toolAccuracy(
	tool: string,
	files: readonly LabelledText[],
	answers: ReadonlyMap<string, string>,
	milliseconds: number
): ToolAccuracy {
	const row: ToolAccuracy = {
		tool,
		files: files.length,
		right: 0,
		coveredFiles: 0,
		coveredRight: 0,
		filesPerSecond: milliseconds > 0 ? (1000 * files.length) / milliseconds : Number.NaN
	};
	for (const file of files) {
		const right = answers.get(file.path) === file.language;
		row.right += Number(right);
		if (guesslangCovers(file.language)) {
			row.coveredFiles++;
			row.coveredRight += Number(right);
		}
	}
	return row;
}

export interface Calibration {
	answers: number;
	/** Expected calibration error: Σ over bins of (bin share) × |accuracy − mean confidence|. */
	ece: number;
	bins: Array<{ from: number; to: number; answers: number; accuracy: number; confidence: number }>;
	/** Answers the model marked uncertain, and how many of them were right. */
	uncertain: number;
	uncertainRight: number;
}

export function calibration(
	predictions: ReadonlyArray<{ probability: number; right: boolean; uncertain: boolean }>,
	binCount = 10
): Calibration {
	const bins = Array.from({ length: binCount }, (_, i) => ({
		from: i / binCount,
		to: (i + 1) / binCount,
		answers: 0,
		accuracy: 0,
		confidence: 0
	}));
	for (const p of predictions) {
		const bin = bins[Math.min(binCount - 1, Math.floor(p.probability * binCount))];
		bin.answers++;
		bin.accuracy += Number(p.right);
		bin.confidence += p.probability;
	}
	let ece = 0;
	for (const bin of bins) {
		if (bin.answers === 0) continue;
		bin.accuracy /= bin.answers;
		bin.confidence /= bin.answers;
		ece += (bin.answers / Math.max(1, predictions.length)) * Math.abs(bin.accuracy - bin.confidence);
	}
	const uncertain = predictions.filter((p) => p.uncertain);
	return {
		answers: predictions.length,
		ece,
		bins,
		uncertain: uncertain.length,
		uncertainRight: uncertain.filter((p) => p.right).length
	};
}
