// The median the reports print: the middle value of the sorted list (the lower one of an even count), 0 when empty.
export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted.length === 0 ? 0 : sorted[Math.floor((sorted.length - 1) / 2)];
}
