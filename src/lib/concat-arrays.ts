// Joins typed arrays of one kind end to end (file parts before a hash, token chunks, weight rows). Browser-safe.

type TypedArray = Uint8Array | Uint16Array | Float32Array;

export function concatArrays<T extends TypedArray>(
	parts: readonly ArrayLike<number>[],
	Kind: new (length: number) => T
): T {
	const out = new Kind(parts.reduce((sum, part) => sum + part.length, 0));
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}
