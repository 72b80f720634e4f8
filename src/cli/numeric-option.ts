// Commander argument parsers for numeric options: a bad value is a one-line usage error naming the option.
import { InvalidArgumentError } from 'commander';

export function integerOption(min: number): (value: string) => number {
	return (value) => {
		const parsed = Number(value);
		if (!Number.isInteger(parsed) || parsed < min)
			throw new InvalidArgumentError(`expected an integer >= ${min}, got "${value}"`);
		return parsed;
	};
}

export function numberOption(value: string): number {
	const parsed = Number(value);
	if (value.trim() === '' || !Number.isFinite(parsed))
		throw new InvalidArgumentError(`expected a number, got "${value}"`);
	return parsed;
}

/** A number that must also pass `check` ("in (0, 1]", "> 0"…, named by `rule`). */
export function checkedNumberOption(check: (value: number) => boolean, rule: string): (value: string) => number {
	return (value) => {
		const parsed = numberOption(value);
		if (!check(parsed)) throw new InvalidArgumentError(`expected a number ${rule}, got "${value}"`);
		return parsed;
	};
}
