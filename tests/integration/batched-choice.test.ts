// The batched candidate scoring the classifier uses (all candidate languages in one right-padded run) gives
// the same choice as scoring each candidate alone through the cached single-sequence path, on real files
// (datasets/samples and tests/fixtures/evidence-samples, real Linguist samples) with the shipped model and
// the document classifier's stack. About 20 s.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openExpertFolder } from '../../src/lib/classify/expert-loader-fs.ts';
import { CLASSIFIER_EXPERT, loadPlanIds } from '../../src/lib/classify/expert-selection.ts';
import { languagesOfExtension } from '../../src/lib/classify/linguist-names.ts';
import { CLASSIFICATION_PREFIX_CHARS, excerptPrompt } from '../../src/lib/classify/taxonomy.ts';
import { bestIndex, continuationLogLikelihoods } from '../../src/lib/runtime/closed-set-choice.ts';
import { loadBaseModel } from '../../src/lib/runtime/load-fs.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const FOLDERS = ['datasets/samples', 'tests/fixtures/evidence-samples'].map((folder) => path.join(REPO, folder));
/** For a name whose extension allows one language or none, the candidates of a C-family header. */
const HEADER_CANDIDATES = ['C', 'C++', 'Objective-C'];

describe('batched choice among candidate languages', () => {
	it('picks what scoring each candidate alone picks, with scores within 1e-3', async () => {
		const { runtime, tokenizer } = await loadBaseModel(path.join(REPO, 'static/models/expert-base-tiny'), {
			precision: 'fp32',
			threads: 1
		});
		const folder = await openExpertFolder(path.join(REPO, 'experts'), runtime.config);
		const ids = loadPlanIds([CLASSIFIER_EXPERT], folder.registry);
		await runtime.activate(
			await Promise.all(ids.map(async (id) => ({ adapter: await folder.loadAdapter(id), weight: 1 })))
		);
		const files = FOLDERS.flatMap((dir) => readdirSync(dir).map((name) => path.join(dir, name))).filter(
			(file) => statSync(file).isFile() && !/LICENSE|README/.test(file)
		);
		expect(files.length).toBeGreaterThanOrEqual(20);
		const vocab = runtime.config.vocabSize;
		let multiCandidate = 0;
		for (const file of files) {
			const fileName = path.basename(file);
			const byExtension = languagesOfExtension(fileName)?.languages ?? [];
			const candidates = byExtension.length > 1 ? byExtension : HEADER_CANDIDATES;
			if (byExtension.length > 1) multiCandidate++;
			const textIds = tokenizer.encode(readFileSync(file, 'utf8').slice(0, CLASSIFICATION_PREFIX_CHARS));
			const prompts = candidates.map((language) =>
				tokenizer.encode(tokenizer.chatPrompt([{ role: 'user', content: excerptPrompt(language, fileName) }], true))
			);
			const batched = await continuationLogLikelihoods(runtime, prompts, textIds);
			const alone: number[] = [];
			for (const promptIds of prompts) {
				// The cached path: the prompt first, then the text after its cache, one sequence at a time.
				const head = await runtime.forward(promptIds, runtime.emptyCache());
				const rest = await runtime.forward(textIds, head.cache);
				const rows = [head.logits.subarray((promptIds.length - 1) * vocab), rest.logits];
				const logSoftmaxAt = (logits: Float32Array, row: number, id: number) => {
					const slice = logits.subarray(row * vocab, (row + 1) * vocab);
					const max = Math.max(...slice);
					return slice[id] - max - Math.log(slice.reduce((sum, x) => sum + Math.exp(x - max), 0));
				};
				let score = logSoftmaxAt(rows[0], 0, textIds[0]);
				for (let i = 1; i < textIds.length; i++) score += logSoftmaxAt(rows[1], i - 1, textIds[i]);
				alone.push(score);
			}
			expect(candidates[bestIndex(batched)], fileName).toBe(candidates[bestIndex(alone)]);
			batched.forEach((score, i) =>
				expect(Math.abs(score - alone[i]), `${fileName} ${candidates[i]}`).toBeLessThan(1e-3)
			);
		}
		expect(multiCandidate).toBeGreaterThanOrEqual(3);
	});
});
