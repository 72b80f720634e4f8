// repository-files-fs.ts: a folder walked as Linguist sees a repository — hidden folders included, .git left
// out, a symbolic link reported (Linguist counts the file where it is, not the link), paths relative to the root.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryFiles } from '../../src/lib/classify/repository-files-fs.ts';

const TREE = path.resolve(import.meta.dirname, '../fixtures/repository');
const work = mkdtempSync(path.join(tmpdir(), 'repository-files-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('repositoryFiles', () => {
	it('lists every file but .git, relative to the root, and reports links', async () => {
		const root = path.join(work, 'repo');
		cpSync(path.join(TREE, 'src'), path.join(root, 'src'), { recursive: true });
		cpSync(path.join(TREE, 'src'), path.join(root, '.github'), { recursive: true });
		mkdirSync(path.join(root, '.git'));
		cpSync(path.join(TREE, 'README'), path.join(root, '.git', 'HEAD'));
		symlinkSync('lstring.c', path.join(root, 'src', 'alias.c'));
		const { files, problems } = await repositoryFiles(root, 2 ** 20);
		expect(files.map((f) => f.path)).toEqual([
			...['.github/lstring.c', '.github/lstring.h', '.github/say.lua'],
			...['src/lstring.c', 'src/lstring.h', 'src/say.lua']
		]);
		expect(files.find((f) => f.path === 'src/say.lua')?.bytes).toBe(1545);
		expect(problems).toEqual([
			{
				path: path.join(root, 'src', 'alias.c'),
				problem: 'symbolic link (Linguist counts the file it points to, not the link)'
			}
		]);
		const head = await files[3].read();
		expect('content' in head && head.content.startsWith('/*')).toBe(true);
	});
});
