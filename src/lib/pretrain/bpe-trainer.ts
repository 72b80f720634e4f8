// Learns byte-level BPE merges from pre-token counts (browser-safe): starts from the 256 bytes and repeatedly
// merges the most frequent adjacent pair, updating pair counts incrementally for the words that contain it.

export interface LearnedMerges {
	/** Each merge as [left token id, right token id]; the merged token's id is 256 + its index. */
	merges: Array<[number, number]>;
	/** The bytes of every token id (0..255 are the single bytes). */
	tokenBytes: Uint8Array[];
}

const KEY_BASE = 1 << 16;
const pairKey = (left: number, right: number) => left * KEY_BASE + right;

/**
 * Learns up to `mergeCount` merges from `wordCounts` (pre-token -> occurrences). Ties go to the pair with
 * the smaller ids, so the result depends only on the counts. Stops early when no pair occurs twice.
 */
export function learnMerges(wordCounts: Map<string, number>, mergeCount: number): LearnedMerges {
	if (256 + mergeCount > KEY_BASE) throw new RangeError(`at most ${KEY_BASE - 256} merges`);
	const encoder = new TextEncoder();
	const words: number[][] = [];
	const frequencies: number[] = [];
	for (const [word, count] of wordCounts) {
		const bytes = encoder.encode(word);
		if (bytes.length < 2) continue;
		words.push(Array.from(bytes));
		frequencies.push(count);
	}
	const pairCounts = new Map<number, number>();
	const pairWords = new Map<number, Set<number>>();
	const addPairs = (index: number, sign: 1 | -1) => {
		const symbols = words[index];
		for (let i = 0; i + 1 < symbols.length; i++) {
			const key = pairKey(symbols[i], symbols[i + 1]);
			pairCounts.set(key, (pairCounts.get(key) ?? 0) + sign * frequencies[index]);
			if (sign === 1) {
				let holders = pairWords.get(key);
				if (!holders) pairWords.set(key, (holders = new Set()));
				holders.add(index);
			}
		}
	};
	for (let index = 0; index < words.length; index++) addPairs(index, 1);

	const tokenBytes: Uint8Array[] = Array.from({ length: 256 }, (_, b) => Uint8Array.of(b));
	const merges: Array<[number, number]> = [];
	while (merges.length < mergeCount) {
		let bestKey = -1;
		let bestCount = 1;
		for (const [key, count] of pairCounts) {
			if (count <= 0) pairCounts.delete(key);
			else if (count > bestCount || (count === bestCount && bestKey >= 0 && key < bestKey))
				[bestKey, bestCount] = [key, count];
		}
		if (bestKey < 0) break;
		const left = Math.floor(bestKey / KEY_BASE);
		const right = bestKey % KEY_BASE;
		const merged = tokenBytes.length;
		merges.push([left, right]);
		tokenBytes.push(concatBytes(tokenBytes[left], tokenBytes[right]));
		for (const index of pairWords.get(bestKey) ?? []) {
			const symbols = words[index];
			if (!containsPair(symbols, left, right)) continue;
			addPairs(index, -1);
			words[index] = mergePair(symbols, left, right, merged);
			addPairs(index, 1);
		}
		pairCounts.delete(bestKey);
		pairWords.delete(bestKey);
	}
	return { merges, tokenBytes };
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
	const out = new Uint8Array(a.length + b.length);
	out.set(a);
	out.set(b, a.length);
	return out;
}

function containsPair(symbols: number[], left: number, right: number): boolean {
	for (let i = 0; i + 1 < symbols.length; i++) if (symbols[i] === left && symbols[i + 1] === right) return true;
	return false;
}

/** The symbols with every non-overlapping occurrence of (left, right), scanned left to right, replaced. */
function mergePair(symbols: number[], left: number, right: number, merged: number): number[] {
	const out: number[] = [];
	for (let i = 0; i < symbols.length; i++) {
		if (i + 1 < symbols.length && symbols[i] === left && symbols[i + 1] === right) {
			out.push(merged);
			i++;
		} else out.push(symbols[i]);
	}
	return out;
}
