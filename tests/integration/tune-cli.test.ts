// `expert tune` end to end on a small labelled folder (folder names as labels; two files without a name the
// evidence chain can use, so the model decides them): it writes a named expert set with the search, data and
// scores, `classify --experts @name` stacks it, and bad labels fail in one line without writing a set.
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExpertSet } from '../../src/lib/experts/expert-set.ts';
import { expectOneLineFailure, runExpert } from '../fixtures/expert-cli.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const SAMPLES = path.join(REPO, 'tests/fixtures/corpus-sample/linguist');
let root: string;
let labelled: string;
let expertsDir: string;

beforeAll(() => {
	root = fs.mkdtempSync(path.join(tmpdir(), 'tune-cli-'));
	labelled = path.join(root, 'labelled');
	for (const [language, from, to] of [
		['Python', 'flask-view.py', 'flask-view.py'],
		['Python', 'flask-view.py', 'pasted-python'],
		['Rust', 'task.rs', 'task.rs'],
		['Rust', 'task.rs', 'pasted-rust'],
		['JSON', 'person.json', 'person.json']
	]) {
		fs.mkdirSync(path.join(labelled, language), { recursive: true });
		fs.cpSync(path.join(SAMPLES, from), path.join(labelled, language, to));
	}
	expertsDir = path.join(root, 'experts');
	fs.mkdirSync(expertsDir);
	for (const name of fs
		.readdirSync(path.join(REPO, 'experts'))
		.filter((dir) => fs.existsSync(path.join(REPO, 'experts', dir, 'manifest.json')))) {
		fs.symlinkSync(path.join(REPO, 'experts', name), path.join(expertsDir, name));
	}
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('expert tune', () => {
	it('writes a named expert set that classify --experts @name stacks', async () => {
		const run = await runExpert([
			...['tune', labelled, '--name', 'small-test', '--experts-dir', expertsDir],
			...['--max-evals', '4', '--threads', '1', '--json']
		]);
		expect(run.code, run.stderr).toBe(0);
		const printed = JSON.parse(run.stdout);
		const file = path.join(expertsDir, 'sets', 'small-test.json');
		expect(printed.set).toBe(file);
		const set = parseExpertSet(fs.readFileSync(file, 'utf8'), file);
		// auto's stack: the classifier stack, and language-id (its head answers; weight 0 would switch it off).
		expect(set.experts.map((expert) => expert.name)).toEqual([
			'json-parser',
			'english-basic',
			'neo4j-cypher',
			'document-classifier',
			'language-id'
		]);
		expect(set.tuning!.data).toMatchObject({ files: 5, modelDecided: 2, labels: 'folder names (<Language>/<file>)' });
		expect(set.tuning!.evaluations).toBeGreaterThan(1);
		expect(set.tuning!.evaluations).toBeLessThanOrEqual(4);
		expect(set.tuning!.after.language).toBeGreaterThanOrEqual(set.tuning!.before.language);
		expect(set.routed.map((routed) => routed.name).sort()).toEqual(['python-code', 'rust-code']);
		for (const routed of set.routed) expect(routed.before.files).toBeGreaterThan(0);

		const classified = await runExpert([
			...['classify', path.join(labelled, 'Python'), '--experts', '@small-test'],
			...['--experts-dir', expertsDir, '--threads', '1', '--json']
		]);
		expect(classified.code, classified.stderr).toBe(0);
		const stacked = set.experts.map(
			(expert) => `${expert.name}@${expert.version}${expert.weight === 1 ? '' : `:${expert.weight}`}`
		);
		// A row the language head answered names language-id alone; the others, the rest of the set.
		const head = stacked.filter((id) => id.startsWith('language-id@'));
		const rest = stacked.filter((id) => !id.endsWith(':0') && !id.startsWith('language-id@'));
		for (const row of JSON.parse(classified.stdout).files) {
			const answeredByHead = row.languageRanking !== undefined;
			expect(row.experts.slice(0, stacked.length)).toEqual(
				answeredByHead ? head.map((id) => id.replace(/:[\d.]+$/, '')) : rest
			);
		}

		const validated = await runExpert(['validate', path.join(expertsDir, 'sets'), '--json']);
		expect(validated.code, validated.stderr).toBe(0);
		expect(JSON.parse(validated.stdout).packages).toEqual([
			expect.objectContaining({ name: '@small-test', status: 'valid' })
		]);

		const route = await runExpert([
			...['route', '--file', path.join(labelled, 'Python', 'flask-view.py')],
			...['--experts', '@small-test', '--experts-dir', expertsDir]
		]);
		expect(route.stdout).toMatch(
			/classify --experts @small-test: python-code routed, (added at weight [\d.]+|left out): /
		);
	});

	it('refuses a folder that is not a language name, a bad set name or grid, and an unknown set, in one line, writing nothing; a broken set file is a warning', async () => {
		const bad = path.join(root, 'bad');
		fs.mkdirSync(path.join(bad, 'Klingon'), { recursive: true });
		fs.cpSync(path.join(SAMPLES, 'task.rs'), path.join(bad, 'Klingon', 'task.rs'));
		expectOneLineFailure(
			await runExpert(['tune', bad, '--name', 'bad-set', '--experts-dir', expertsDir]),
			/^expert: no labelled files under .*bad \(Klingon\/task\.rs: "Klingon" is not a GitHub Linguist language name\)$/
		);
		expect(fs.existsSync(path.join(expertsDir, 'sets', 'bad-set.json'))).toBe(false);
		expectOneLineFailure(
			await runExpert(['tune', labelled, '--name', 'My_Set', '--experts-dir', expertsDir]),
			/^expert: --name My_Set: a set name is lower-case words joined by hyphens/,
			2
		);
		expectOneLineFailure(
			await runExpert(['tune', labelled, '--name', 'x', '--grid', '0,0', '--experts-dir', expertsDir]),
			/^expert: --grid must list at least two weights in \[0, 4\], one of them above 0/,
			2
		);
		fs.writeFileSync(path.join(expertsDir, 'sets', 'broken.json'), '{"format": "expert-set/1"');
		const warned = await runExpert(['classify', path.join(labelled, 'JSON'), '--experts-dir', expertsDir, '--json']);
		expect(warned.code, warned.stderr).toBe(0);
		expect(warned.stderr).toMatch(/^warning: expert set left out: .*broken\.json: not JSON/m);
		fs.rmSync(path.join(expertsDir, 'sets', 'broken.json'));
		expectOneLineFailure(
			await runExpert(['classify', labelled, '--experts', '@missing', '--experts-dir', expertsDir]),
			/^expert: no expert set @missing \(known: @[a-z-]+(, @[a-z-]+)*\)$/
		);
	});
});
