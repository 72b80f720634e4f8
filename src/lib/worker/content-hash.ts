// The sha-256 (crypto.subtle) of a set of named files: names sorted, each name and length framed, so the
// hash changes when any byte, name or file boundary changes.

const encoder = new TextEncoder();

export async function hashFiles(files: Record<string, Uint8Array>): Promise<string> {
	const names = Object.keys(files).sort();
	const parts: Uint8Array[] = [];
	for (const name of names) {
		parts.push(encoder.encode(`${name}\n${files[name].length}\n`), files[name]);
	}
	const total = parts.reduce((sum, part) => sum + part.length, 0);
	const joined = new Uint8Array(total);
	let offset = 0;
	for (const part of parts) {
		joined.set(part, offset);
		offset += part.length;
	}
	const digest = await crypto.subtle.digest('SHA-256', joined);
	return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
