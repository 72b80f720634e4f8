// Deterministic, browser-safe hashing and pseudo-random numbers for datasets: record ids, duplicate
// detection by normalized content, held-out splits and seeded generators all derive from these.

/** A 32-bit string hash (FNV-1a over UTF-16 code units, with a final avalanche), seeded. */
function hash32(text: string, seed: number): number {
	let h = (0x811c9dc5 ^ seed) >>> 0;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/** A 128-bit hex digest of a string (four independently seeded 32-bit lanes); not cryptographic. */
export function contentDigest(text: string): string {
	return [0x9e3779b9, 0x7f4a7c15, 0x6a09e667, 0x3c6ef372]
		.map((seed) => hash32(text, seed).toString(16).padStart(8, '0'))
		.join('');
}

/** A number in [0, 1) fixed by the text: used for stable train/eval assignments. */
export function unitIntervalOf(text: string): number {
	return hash32(text, 0x2545f491) / 0x1_0000_0000;
}

/** Lower-cases, collapses white space and trims, so trivially different copies hash alike. */
export function normalizeForDedup(text: string): string {
	return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A seeded pseudo-random generator (mulberry32): the same seed always yields the same sequence. */
export class SeededRandom {
	private state: number;
	constructor(seed: number | string) {
		this.state = typeof seed === 'number' ? seed >>> 0 : hash32(seed, 0x1b873593);
	}
	/** Uniform in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
	}
	/** Integer in [min, max], both included. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}
	pick<T>(items: readonly T[]): T {
		if (items.length === 0) throw new Error('pick from an empty list');
		return items[Math.floor(this.next() * items.length)];
	}
	/** A shuffled copy (Fisher-Yates). */
	shuffle<T>(items: readonly T[]): T[] {
		const copy = [...items];
		for (let i = copy.length - 1; i > 0; i--) {
			const j = Math.floor(this.next() * (i + 1));
			[copy[i], copy[j]] = [copy[j], copy[i]];
		}
		return copy;
	}
}
