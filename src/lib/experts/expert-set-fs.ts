// Expert sets on disk (Node): <experts dir>/sets/<name>.json, read all at once (a set file that does not parse
// or whose name differs from its file name is left out with the reason, so one broken file blocks nothing else)
// and written atomically (temp file + rename), so a failed tune never leaves half a set.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeError, ExpertError } from '../errors.ts';
import { expertSetSchema, parseExpertSet, type ExpertSet } from './expert-set.ts';

export const EXPERT_SETS_FOLDER = 'sets';

export interface ExpertSets {
	sets: Map<string, ExpertSet>;
	/** Set files left out, with the one-line reason. */
	skipped: Array<{ file: string; problem: string }>;
}

export async function readExpertSets(expertsDir: string): Promise<ExpertSets> {
	const folder = path.join(expertsDir, EXPERT_SETS_FOLDER);
	const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
		if (error.code === 'ENOENT') return [];
		throw new ExpertError('unreadable-sets', `${folder}: cannot list expert sets (${error.code ?? 'unreadable'})`);
	});
	const result: ExpertSets = { sets: new Map(), skipped: [] };
	for (const file of names.filter((name) => name.endsWith('.json')).sort()) {
		const full = path.join(folder, file);
		try {
			const set = parseExpertSet(await readFile(full, 'utf8'), full);
			if (`${set.name}.json` !== file)
				throw new ExpertError(
					'bad-expert-set',
					`${full}: names the set @${set.name}; the file must be ${set.name}.json`
				);
			result.sets.set(set.name, set);
		} catch (error) {
			result.skipped.push({ file: full, problem: describeError(error) });
		}
	}
	return result;
}

export async function writeExpertSet(expertsDir: string, set: ExpertSet): Promise<string> {
	const target = path.join(expertsDir, EXPERT_SETS_FOLDER, `${set.name}.json`);
	const checked = expertSetSchema.safeParse(set);
	if (!checked.success)
		throw new ExpertError(
			'bad-expert-set',
			`expert set @${set.name}: ${checked.error.issues[0].path.join('.') || 'set'}: ${checked.error.issues[0].message}`
		);
	await mkdir(path.dirname(target), { recursive: true });
	const temp = `${target}.partial-${process.pid}`;
	try {
		await writeFile(temp, `${JSON.stringify(checked.data, null, 2)}\n`);
		await rename(temp, target);
	} finally {
		await rm(temp, { force: true });
	}
	return target;
}
