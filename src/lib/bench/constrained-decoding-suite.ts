// The 'constrained-decoding' benchmark suite of `expert bench`: decode tokens/s of the embedded base with
// json-parser / neo4j-cypher stacked, free vs under their grammars (JSON, a JSON schema, Cypher), on the same
// prompts interleaved in one run; the first pass starts with cold grammar caches, the second reuses them.
import path from 'node:path';
import { openExpertFolder } from '../classify/expert-loader-fs.ts';
import { outputConstraint, type OutputRequest } from '../constrain/output-constraint.ts';
import { REPO_ROOT } from '../datasets/corpus-fs.ts';
import { loadPlanIds } from '../classify/expert-selection.ts';
import { median } from '../median.ts';
import { ExpertStack } from '../runtime/expert-stack.ts';
import { decodeTokensPerSecond, generate, type TokenConstraint } from '../runtime/generate.ts';
import { loadBaseModel } from '../runtime/load-fs.ts';
import type { BenchMetric, BenchSuite, BenchTable } from './bench-suite.ts';

const JSON_PROMPTS = [
	'Fix this JSON: {"a": 1, "b": [1, 2,}',
	'Return the JSON value at path `meta` in this document, as compact JSON: {"score": 4654, "meta": {"id": 3}}',
	"This JSON document is broken. Return the corrected document: {'name': 'x', 'tags': [1, 2]}",
	'Write a JSON object describing a book with a title and a year.'
];
const CYPHER_PROMPTS = [
	'Write a Cypher query that returns all people older than 30.',
	'Write a Cypher query that answers: How many Team nodes are there?',
	'Write a Cypher query that creates a Movie titled Alien.',
	'Write a Cypher query that lists the name of every Customer.'
];
const SCHEMA = {
	type: 'object',
	properties: {
		title: { type: 'string', maxLength: 24 },
		year: { type: 'integer' },
		tags: { type: 'array', items: { type: 'string', maxLength: 8 }, maxItems: 3 }
	},
	required: ['title', 'year']
};
const MAX_TOKENS = 48;

interface Condition {
	name: string;
	expert: string;
	prompts: string[];
	output: OutputRequest;
}

const CONDITIONS: Condition[] = [
	{ name: 'JSON grammar', expert: 'json-parser', prompts: JSON_PROMPTS, output: { format: 'json' } },
	{ name: 'JSON schema', expert: 'json-parser', prompts: JSON_PROMPTS, output: { schema: SCHEMA } },
	{ name: 'Cypher grammar', expert: 'neo4j-cypher', prompts: CYPHER_PROMPTS, output: { format: 'cypher' } }
];

/** Wraps a constraint to add up the time its masks take. */
function timedConstraint(inner: TokenConstraint, spent: { ms: number }): TokenConstraint {
	return {
		allowedTokens(left) {
			const started = performance.now();
			const mask = inner.allowedTokens(left);
			spent.ms += performance.now() - started;
			return mask;
		},
		accept: (id) => inner.accept(id),
		canEnd: () => inner.canEnd(),
		isComplete: () => inner.isComplete()
	};
}

export const constrainedDecodingBenchSuite: BenchSuite = {
	name: 'constrained-decoding',
	description:
		'decode tokens/s free vs under the JSON, JSON-schema and Cypher grammars (embedded base, shipped experts)',
	async run({ quick, log }) {
		const modelDir = path.join(REPO_ROOT, 'static/models/expert-base-tiny');
		const { runtime, tokenizer } = await loadBaseModel(modelDir, { precision: 'fp32' });
		const folder = await openExpertFolder(path.join(REPO_ROOT, 'experts'), runtime.config);
		const stack = new ExpertStack(runtime, folder.registry, folder.loadAdapter);
		const texts = tokenizer.tokenTexts();
		const rows: BenchTable['rows'] = [];
		const metrics: BenchMetric[] = [];
		for (const condition of CONDITIONS) {
			await stack.activate(loadPlanIds([condition.expert], folder.registry));
			const grammar = outputConstraint(condition.output, texts, MAX_TOKENS)!;
			const passes = quick ? ['cold caches'] : ['cold caches', 'warm caches'];
			for (const pass of passes) {
				const free: number[] = [];
				const constrained: number[] = [];
				const maskShare: number[] = [];
				for (const prompt of condition.prompts) {
					const ids = tokenizer.encode(tokenizer.chatPrompt([{ role: 'user', content: prompt }]));
					const plain = await generate(runtime, tokenizer.decode, ids, { maxTokens: MAX_TOKENS, eosTokenIds: [] });
					free.push(decodeTokensPerSecond(plain));
					const spent = { ms: 0 };
					const held = await generate(runtime, tokenizer.decode, ids, {
						maxTokens: MAX_TOKENS,
						constraint: timedConstraint(grammar.start(), spent)
					});
					constrained.push(decodeTokensPerSecond(held));
					maskShare.push(spent.ms / held.decodeMs);
				}
				const ratio = median(constrained) / median(free);
				log(
					`constrained-decoding: ${condition.name}, ${pass}: ${median(constrained).toFixed(0)} vs ${median(free).toFixed(0)} tokens/s (${ratio.toFixed(2)})`
				);
				rows.push([
					condition.name,
					pass,
					Number(median(free).toFixed(1)),
					Number(median(constrained).toFixed(1)),
					Number(ratio.toFixed(2)),
					`${(median(maskShare) * 100).toFixed(0)}%`
				]);
				if (pass === passes.at(-1))
					metrics.push({
						name: `decode tokens/s constrained ÷ unconstrained, ${condition.name}, ${pass}`,
						value: Number(ratio.toFixed(2)),
						unit: '×',
						target: '≥ 0.8',
						met: ratio >= 0.8
					});
			}
		}
		return {
			suite: 'constrained-decoding',
			environment: {
				model: path.relative(REPO_ROOT, modelDir) || modelDir,
				max_tokens: MAX_TOKENS,
				prompts_per_condition: JSON_PROMPTS.length
			},
			metrics,
			tables: [
				{
					title: 'Decode tokens/s, medians over the prompts (free and constrained interleaved per prompt)',
					columns: ['constraint', 'pass', 'free tok/s', 'constrained tok/s', 'ratio', 'mask share of decode time'],
					rows
				}
			],
			notes: [
				'Free decoding runs the full budget (end-of-sequence ignored); constrained decoding stops where its grammar completes, so per-token rates are compared.',
				"Cold: the grammar's per-state token masks are computed as states are first met; warm: the same prompts again, masks reused (what a long-running `expert serve` or the app sees)."
			]
		};
	}
};
