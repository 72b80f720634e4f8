// Parsers of `expert tune`'s own options: the weight grid and the set's name, each refused in one line.
import { ExpertError } from '../lib/errors.ts';
import { EXPERT_NAME_PATTERN } from '../lib/experts/manifest.ts';

export const gridOption = (text: string) => {
	const values = text.split(',').map(Number);
	if (
		values.length < 2 ||
		values.some((value) => !Number.isFinite(value) || value < 0 || value > 4) ||
		!values.some((value) => value > 0)
	) {
		throw new ExpertError(
			'bad-option',
			`--grid must list at least two weights in [0, 4], one of them above 0, got ${text}`
		);
	}
	return values;
};

export const setNameOption = (text: string) => {
	if (text.length > 64 || !EXPERT_NAME_PATTERN.test(text))
		throw new ExpertError(
			'bad-option',
			`--name ${text}: a set name is lower-case words joined by hyphens, at most 64 characters`
		);
	return text;
};
