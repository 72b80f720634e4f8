// One trainer per data dir: an exclusive lock file (trainer.lock, holding the owner's pid) taken at start
// and removed at close, so a second server on the same folder refuses to start instead of running the
// same jobs twice; a lock left by a process that no longer runs (kill -9) is taken over.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExpertError } from '../lib/errors.ts';

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Takes the data dir's lock; returns its release. A one-line error when a live trainer holds it. */
export function lockDataDir(root: string): () => void {
	const file = path.join(root, 'trainer.lock');
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
			return () => rmSync(file, { force: true });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
		if (Number.isInteger(owner) && owner !== process.pid && isRunning(owner)) {
			throw new ExpertError(
				'data-dir-locked',
				`another trainer (pid ${owner}) is serving ${root}: stop it, or pass another --data-dir`
			);
		}
		if (owner === process.pid) throw new ExpertError('data-dir-locked', `this process already serves ${root}`);
		rmSync(file, { force: true }); // left by a trainer that died
	}
	throw new ExpertError('data-dir-locked', `could not take the lock ${file}`);
}
