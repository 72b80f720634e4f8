// The sha-256 (crypto.subtle) of a set of named files: names sorted, each name and length framed, so the
// hash changes when any byte, name or file boundary changes.
import { concatArrays } from '../concat-arrays.ts';

const encoder = new TextEncoder();

export async function hashFiles(files: Record<string, Uint8Array>): Promise<string> {
	const names = Object.keys(files).sort();
	const parts: Uint8Array[] = [];
	for (const name of names) {
		parts.push(encoder.encode(`${name}\n${files[name].length}\n`), files[name]);
	}
	const joined = concatArrays(parts, Uint8Array);
	const digest = await crypto.subtle.digest('SHA-256', joined);
	return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
