// One stderr line per expert package the CLI left out (its manifest does not parse), so a broken folder
// is never silent and never blocks the packages beside it.

export function warnSkippedPackages(skipped: ReadonlyArray<{ dir: string; problem: string }>): void {
	for (const { dir, problem } of skipped) process.stderr.write(`warning: expert package ${dir} left out: ${problem}\n`);
}
