// Least-recently-used eviction: which cached entries to drop so a new one fits in the room left under
// the storage quota (and the optional size cap), or null when it cannot fit even with everything dropped.

export interface EvictionCandidate {
	id: string;
	bytes: number;
	lastUsed: number;
}

export function chooseEvictions(
	candidates: EvictionCandidate[],
	neededBytes: number,
	roomBytes: number
): string[] | null {
	if (neededBytes <= roomBytes) return [];
	const oldestFirst = [...candidates].sort((a, b) => a.lastUsed - b.lastUsed || a.id.localeCompare(b.id));
	const victims: string[] = [];
	let room = roomBytes;
	for (const candidate of oldestFirst) {
		victims.push(candidate.id);
		room += candidate.bytes;
		if (neededBytes <= room) return victims;
	}
	return null;
}
