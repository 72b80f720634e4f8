// A trained package's artifact (the tar the trainer serves) unpacked into a folder atomically: into a temporary
// sibling first, checked for every package file, then renamed over the target (replaced only when asked). Node only.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { extract as extractTar } from 'tar';
import { ExpertError } from '../errors.ts';
import { PACKAGE_FILES } from '../experts/package.ts';

/** The package's files, sorted. */
export async function unpackArtifact(bytes: Uint8Array, outputDir: string, replace: boolean): Promise<string[]> {
	const target = path.resolve(outputDir);
	if (existsSync(target) && readdirSync(target).length > 0 && !replace) {
		throw new ExpertError('output-exists', `${outputDir} exists and is not empty (pass --force to replace it)`);
	}
	const temp = `${target}.tmp-${process.pid}`;
	rmSync(temp, { recursive: true, force: true });
	mkdirSync(temp, { recursive: true });
	try {
		writeFileSync(path.join(temp, '.artifact.tar'), bytes);
		await extractTar({ file: path.join(temp, '.artifact.tar'), cwd: temp, strict: true });
		rmSync(path.join(temp, '.artifact.tar'));
		const files = readdirSync(temp).sort();
		const missing = Object.values(PACKAGE_FILES).filter((file) => !files.includes(file));
		if (missing.length) throw new ExpertError('bad-artifact', `the trainer's artifact lacks ${missing.join(', ')}`);
		rmSync(target, { recursive: true, force: true });
		renameSync(temp, target);
		return files;
	} finally {
		rmSync(temp, { recursive: true, force: true });
	}
}
