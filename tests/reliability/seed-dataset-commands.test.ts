// The seed's dataset commands as a newcomer runs them offline: one `expert-gen dataset create`
// per domain with a free-text --task (here each shipped expert's own description) and --provider offline
// must write the records, saying which generator tasks it read the text as.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');
const FIXTURE = path.join(REPO, 'tests/fixtures/datasets-corpus');
const work = mkdtempSync(path.join(tmpdir(), 'seed-commands-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Domain → the shipped expert whose description serves as the free-text task. */
const DOMAIN_EXPERTS: Record<string, string> = {
	'english-language': 'english-basic-v1',
	'json-parsing': 'json-parser-v2',
	'neo4j-cypher': 'neo4j-cypher-v1',
	'python-code': 'python-code-v1',
	'rust-code': 'rust-code-v1',
	'document-classification': 'document-classifier-v1'
};

describe('seed dataset commands, offline', () => {
	it.each(Object.entries(DOMAIN_EXPERTS))('%s with a free-text --task writes its records', async (domain, folder) => {
		expect(readdirSync(path.join(REPO, 'experts'))).toContain(folder);
		const task = (
			JSON.parse(readFileSync(path.join(REPO, 'experts', folder, 'manifest.json'), 'utf8')) as { description: string }
		).description;
		const output = path.join(work, `${domain}.jsonl`);
		const args = [
			...[path.join(REPO, 'src/cli/expert-gen.js'), 'dataset', 'create', '--domain', domain, '--task', task],
			...['--count', '12', '--provider', 'offline', '--corpora', FIXTURE, '--output', output, '--json']
		];
		const { stdout, stderr } = await promisify(execFile)(process.execPath, args, {
			env: { ...process.env, OPENAI_API_KEY: undefined, DEEPSEEK_API_KEY: undefined, ANTHROPIC_API_KEY: undefined }
		});
		expect(JSON.parse(stdout)).toMatchObject({ written: 12, provider: 'offline' });
		expect(stderr).toMatch(new RegExp(`^note: --task "${task.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
		const records = readFileSync(output, 'utf8')
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line) as { domain: string });
		expect(records).toHaveLength(12);
		expect(records.every((record) => record.domain === domain)).toBe(true);
	});
});
