// One stderr line per expert package or expert set the CLI left out (its manifest or set file does not parse),
// so a broken folder or file is never silent and never blocks the ones beside it.

export function warnSkippedPackages(skipped: ReadonlyArray<{ dir: string; problem: string }>): void {
	for (const { dir, problem } of skipped) process.stderr.write(`warning: expert package ${dir} left out: ${problem}\n`);
}

export function warnSkippedSets(skipped: ReadonlyArray<{ file: string; problem: string }>): void {
	for (const { problem } of skipped) process.stderr.write(`warning: expert set left out: ${problem}\n`);
}
