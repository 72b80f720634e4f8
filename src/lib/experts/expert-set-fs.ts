// Expert sets on disk (Node): <experts dir>/sets/<name>.json, read all at once and written atomically
// (temp file + rename), so a failed tune never leaves half a set.
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expertSetSchema, parseExpertSet, type ExpertSet } from './expert-set.ts';

export const EXPERT_SETS_FOLDER = 'sets';

export function expertSetPath(expertsDir: string, name: string): string {
	return path.join(expertsDir, EXPERT_SETS_FOLDER, `${name}.json`);
}

/** Every set under `<expertsDir>/sets` by name; a set that does not parse is an error naming its file. */
export async function readExpertSets(expertsDir: string): Promise<Map<string, ExpertSet>> {
	const folder = path.join(expertsDir, EXPERT_SETS_FOLDER);
	const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
		if (error.code === 'ENOENT') return [];
		throw error;
	});
	const sets = new Map<string, ExpertSet>();
	for (const file of names.filter((name) => name.endsWith('.json')).sort()) {
		const full = path.join(folder, file);
		const set = parseExpertSet(await readFile(full, 'utf8'), full);
		sets.set(set.name, set);
	}
	return sets;
}

export async function writeExpertSet(expertsDir: string, set: ExpertSet): Promise<string> {
	const target = expertSetPath(expertsDir, set.name);
	const checked = expertSetSchema.parse(set);
	await mkdir(path.dirname(target), { recursive: true });
	const temp = `${target}.partial-${process.pid}`;
	await writeFile(temp, `${JSON.stringify(checked, null, 2)}\n`);
	await rename(temp, target);
	return target;
}
