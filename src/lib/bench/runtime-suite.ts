// The runtime benchmark on onnxruntime-node CPU: base load, cold expert activation, warm set switch, prefill and
// decode tok/s with 0/1/3/5 experts, LoRA overhead, peak RSS. Subjects: generated Qwen2-shaped models (tiny-256 and,
// unless --quick, Qwen2.5-0.5B's width) with five random r8 adapters, or --model with random or --experts packages.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { median } from '../median.ts';
import { readModelFolder, type ModelFolder } from '../model/model-folder.ts';
import { LORA_MODULES } from '../model/lora-groups.ts';
import type { WeightPrecision } from '../model/quantize.ts';
import {
	writeRandomAdapter,
	writeTinyModel,
	type TinyModelConfig,
	type TinyModelOptions
} from '../model/random-model.ts';
import { readAdapter } from '../runtime/adapter-files-fs.ts';
import type { ForwardResult } from '../runtime/decoder-session.ts';
import { createNodeHost } from '../runtime/host-fs.ts';
import type { ActiveExpert } from '../runtime/lora-stack.ts';
import { ModelRuntime } from '../runtime/model-runtime.ts';
import { argmax } from '../runtime/sampling.ts';
import type { BenchMetric, BenchRunOptions, BenchSuite, BenchSuiteResult, BenchTable } from './bench-suite.ts';

const EXPERT_COUNTS = [0, 1, 3, 5];
const SWITCH_TARGET_MS = 5;
const OVERHEAD_TARGET = 0.85;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
	const start = performance.now();
	const value = await work();
	return { value, ms: performance.now() - start };
}

interface Throughput {
	prefillTokensPerSecond: number;
	decodeTokensPerSecond: number;
	decodeMedian: number;
	/** Decode tokens per second of process CPU time (robust when other processes share the cores). */
	decodeCpuTokensPerSecond: number;
}

interface Variant {
	key: string;
	runtime: ModelRuntime;
	/** Expert set to activate before each measurement (null: graph without LoRA inputs). */
	experts: ActiveExpert[] | null;
}

/** One greedy decode step: feeds the argmax of the last position's logits on the step's KV cache. */
function greedyStep(runtime: ModelRuntime, step: ForwardResult): Promise<ForwardResult> {
	return runtime.forward([argmax(step.logits.subarray(step.logits.length - runtime.config.vocabSize))], step.cache);
}

/** One prefill of `prompt` then `decodeTokens` greedy steps on the KV cache; tokens per second of each phase. */
async function measureOnce(
	runtime: ModelRuntime,
	prompt: number[],
	decodeTokens: number
): Promise<{ prefill: number; decode: number; decodeCpu: number }> {
	const first = await timed(() => runtime.forward(prompt, runtime.emptyCache()));
	let step = first.value;
	const start = performance.now();
	const cpuStart = process.cpuUsage();
	for (let t = 0; t < decodeTokens; t++) step = await greedyStep(runtime, step);
	const cpu = process.cpuUsage(cpuStart);
	return {
		prefill: (prompt.length * 1000) / first.ms,
		decode: (decodeTokens * 1000) / (performance.now() - start),
		decodeCpu: (decodeTokens * 1e6) / (cpu.user + cpu.system)
	};
}

/** Round-robin over the variants so that load from other processes hits all of them alike; the first round
 * warms up. Reports the best prefill/decode speed of the rounds (and the decode median). */
async function measureInterleaved(
	variants: Variant[],
	prompt: number[],
	decodeTokens: number,
	rounds: number
): Promise<Map<string, Throughput>> {
	const samples = new Map(
		variants.map((v) => [v.key, { prefill: [] as number[], decode: [] as number[], decodeCpu: [] as number[] }])
	);
	for (let round = 0; round <= rounds; round++) {
		for (const variant of variants) {
			if (variant.experts) await variant.runtime.activate(variant.experts);
			const { prefill, decode, decodeCpu } = await measureOnce(variant.runtime, prompt, decodeTokens);
			if (round === 0) continue;
			const sample = samples.get(variant.key)!;
			sample.prefill.push(prefill);
			sample.decode.push(decode);
			sample.decodeCpu.push(decodeCpu);
		}
	}
	return new Map(
		[...samples].map(([key, s]) => [
			key,
			{
				prefillTokensPerSecond: Math.max(...s.prefill),
				decodeTokensPerSecond: Math.max(...s.decode),
				decodeMedian: median(s.decode),
				decodeCpuTokensPerSecond: Math.max(...s.decodeCpu)
			}
		])
	);
}

interface Subject {
	label: string;
	options: TinyModelOptions;
}

const SUBJECTS: Subject[] = [
	{
		label: 'tiny-256',
		options: {
			architecture: 'qwen2',
			hiddenSize: 256,
			heads: 8,
			kvHeads: 2,
			intermediateSize: 704,
			layers: 6,
			vocabSize: 4096,
			seed: 11,
			name: 'bench-random-qwen2-256'
		}
	},
	{
		label: 'qwen0.5b-width',
		options: {
			architecture: 'qwen2',
			hiddenSize: 896,
			heads: 14,
			kvHeads: 2,
			intermediateSize: 4864,
			layers: 4,
			vocabSize: 4096,
			seed: 12,
			name: 'bench-random-qwen2-896'
		}
	}
];

/** The subject's model folder (written first when generated) and its five experts: the given package
 * folders, or random r8 adapters on all 7 projections. */
async function prepareSubject(
	root: string,
	modelDir: string,
	subject: Subject | null,
	givenExperts: string[] | undefined,
	log: (line: string) => void
): Promise<{ folder: ModelFolder; expertDirs: string[] }> {
	if (subject) {
		log(
			`writing random model ${subject.label} (hidden ${subject.options.hiddenSize}, ${subject.options.layers} layers, vocab ${subject.options.vocabSize})…`
		);
		await writeTinyModel(modelDir, subject.options);
	}
	const folder = await readModelFolder(modelDir);
	if (givenExperts) return { folder, expertDirs: givenExperts };
	const raw = JSON.parse(await readFile(folder.configSource, 'utf8')) as TinyModelConfig;
	const expertDirs: string[] = [];
	for (let i = 0; i < 5; i++) {
		const dir = path.join(root, `${path.basename(modelDir)}-expert-${i}-v1`);
		await writeRandomAdapter(dir, raw, {
			r: 8,
			targetModules: [...LORA_MODULES],
			seed: 500 + i,
			name: `bench-expert-${i}`
		});
		expertDirs.push(dir);
	}
	return { folder, expertDirs };
}

/** Decodes with each expert set in turn, token by token, each on its own KV cache in the same session, so that
 * bursts of load on the shared CPU hit every set alike; the first round warms up. Median step time per set (ms). */
async function measureAlternatingDecode(
	runtime: ModelRuntime,
	sets: ActiveExpert[][],
	prompt: number[],
	decodeTokens: number,
	rounds: number
): Promise<number[]> {
	const stepMs: number[][] = sets.map(() => []);
	for (let round = 0; round <= rounds; round++) {
		const steps: ForwardResult[] = [];
		for (const set of sets) {
			await runtime.activate(set);
			steps.push(await runtime.forward(prompt, runtime.emptyCache()));
		}
		for (let t = 0; t < decodeTokens; t++) {
			for (const [i, set] of sets.entries()) {
				await runtime.activate(set);
				const next = await timed(() => greedyStep(runtime, steps[i]));
				steps[i] = next.value;
				if (round > 0) stepMs[i].push(next.ms);
			}
		}
	}
	return stepMs.map(median);
}

async function benchPrecision(
	label: string,
	folder: ModelFolder,
	expertDirs: string[],
	precision: WeightPrecision,
	options: BenchRunOptions,
	threads: number
): Promise<{ metrics: BenchMetric[]; table: BenchTable }> {
	const { quick } = options;
	const log = (line: string) => options.log(`${label} ${line}`);
	const host = createNodeHost({ threads });
	const load = await timed(() =>
		ModelRuntime.load(host, folder.config, folder.weightFiles, { precision }, folder.configSource)
	);
	const runtime = load.value;
	log(`${precision}: base loaded in ${load.ms.toFixed(0)} ms`);
	const cold = await timed(async () => {
		const experts: ActiveExpert[] = [];
		for (const dir of expertDirs.slice(0, 3))
			experts.push({ adapter: await readAdapter(folder.config, dir), weight: 1 });
		await runtime.activate(experts);
		return experts;
	});
	const loaded: ActiveExpert[] = [...cold.value];
	for (const dir of expertDirs.slice(3)) loaded.push({ adapter: await readAdapter(folder.config, dir), weight: 1 });
	const setA = loaded.slice(0, 3);
	const setB = [loaded[3], loaded[4], { ...loaded[0], weight: 0.5 }];
	const firstB = await timed(() => runtime.activate(setB));
	const switches: number[] = [];
	for (let i = 0; i < 200; i++) switches.push((await timed(() => runtime.activate(i % 2 ? setB : setA))).ms);
	const switchMean = switches.reduce((a, b) => a + b, 0) / switches.length;
	const prompt = Array.from(
		{ length: quick ? 16 : 64 },
		(_, i) => (i * 37 + 11) % Math.min(folder.config.vocabSize, 256)
	);
	const decodeTokens = quick ? 8 : 32;
	const rounds = quick ? 3 : 9;
	const plain = await ModelRuntime.load(
		host,
		folder.config,
		folder.weightFiles,
		{ precision, withoutLora: true },
		folder.configSource
	);
	const variants: Variant[] = [
		...EXPERT_COUNTS.map((count) => ({ key: String(count), runtime, experts: loaded.slice(0, count) })),
		{ key: 'plain', runtime: plain, experts: null }
	];
	const speed = await measureInterleaved(variants, prompt, decodeTokens, rounds);
	const [noneStepMs, fiveStepMs] = await measureAlternatingDecode(runtime, [[], loaded], prompt, decodeTokens, rounds);
	const ratio = noneStepMs / fiveStepMs;
	log(
		`${precision}: alternating decode, median step ${noneStepMs.toFixed(3)} ms with none, ${fiveStepMs.toFixed(3)} ms with 5 experts`
	);
	const rows: BenchTable['rows'] = variants.map((v) => {
		const t = speed.get(v.key)!;
		log(
			`${precision}: ${v.key} expert(s): prefill ${t.prefillTokensPerSecond.toFixed(0)} tok/s, decode ${t.decodeTokensPerSecond.toFixed(1)} tok/s (median ${t.decodeMedian.toFixed(1)}, per CPU second ${t.decodeCpuTokensPerSecond.toFixed(1)})`
		);
		return [
			v.experts ? `${label} ${precision}, LoRA graph` : `${label} ${precision}, graph without LoRA inputs`,
			v.experts ? v.key : '-',
			t.prefillTokensPerSecond,
			t.decodeTokensPerSecond,
			t.decodeMedian,
			t.decodeCpuTokensPerSecond
		];
	});
	const base = speed.get('plain')!;
	const metrics: BenchMetric[] = [
		{ name: `${label} ${precision}: base load (read-in weights → session)`, value: load.ms, unit: 'ms' },
		{ name: `${label} ${precision}: cold activation, 3 experts from disk`, value: cold.ms, unit: 'ms' },
		{ name: `${label} ${precision}: first activation of a second set`, value: firstB.ms, unit: 'ms' },
		{
			name: `${label} ${precision}: warm set switch (mean of 200)`,
			value: switchMean,
			unit: 'ms',
			target: `< ${SWITCH_TARGET_MS} ms`,
			met: switchMean < SWITCH_TARGET_MS
		},
		{ name: `${label} ${precision}: warm set switch (max of 200)`, value: Math.max(...switches), unit: 'ms' },
		{
			name: `${label} ${precision}: decode speed ratio, 5 experts vs none (median step, alternating tokens)`,
			value: ratio,
			unit: 'x',
			target: `>= ${OVERHEAD_TARGET}`,
			met: ratio >= OVERHEAD_TARGET
		},
		{
			name: `${label} ${precision}: decode tok/s ratio, 5 experts vs none (median rounds)`,
			value: speed.get('5')!.decodeMedian / speed.get('0')!.decodeMedian,
			unit: 'x'
		},
		{
			name: `${label} ${precision}: decode tok/s ratio, 5 experts vs graph without LoRA (median rounds)`,
			value: speed.get('5')!.decodeMedian / base.decodeMedian,
			unit: 'x'
		}
	];
	return {
		metrics,
		table: {
			title: `Throughput (${label} ${precision}, prompt ${prompt.length}, decode ${decodeTokens}, best of ${rounds} interleaved rounds)`,
			columns: ['graph', 'experts', 'prefill tok/s', 'decode tok/s', 'decode tok/s (median)', 'decode tok/CPU s'],
			rows
		}
	};
}

export const runtimeBenchSuite: BenchSuite = {
	name: 'runtime',
	description:
		'base load, expert activation and switch, prefill/decode speed with 0/1/3/5 experts (onnxruntime-node CPU)',
	async run(options: BenchRunOptions): Promise<BenchSuiteResult> {
		const root = await mkdtemp(path.join(os.tmpdir(), 'expert-bench-'));
		try {
			const threads = Number(options.settings.threads ?? 1);
			const precisions = (options.settings.precisions ?? 'fp32,q4').split(',') as WeightPrecision[];
			const subjects = options.settings.model ? [null] : options.quick ? SUBJECTS.slice(0, 1) : SUBJECTS;
			const givenExperts = options.settings.experts?.split(',');
			const metrics: BenchMetric[] = [];
			const tables: BenchTable[] = [];
			const shapes: string[] = [];
			for (const subject of subjects) {
				const modelDir = options.settings.model ?? path.join(root, subject!.label);
				const { folder, expertDirs } = await prepareSubject(root, modelDir, subject, givenExperts, options.log);
				const c = folder.config;
				const label = subject?.label ?? path.basename(path.resolve(modelDir));
				shapes.push(
					`${label}: hidden ${c.hiddenSize}, ${c.layers} layers, ${c.heads}/${c.kvHeads} heads, intermediate ${c.intermediateSize}, vocab ${c.vocabSize}`
				);
				for (const precision of precisions) {
					const result = await benchPrecision(label, folder, expertDirs, precision, options, threads);
					metrics.push(...result.metrics);
					tables.push(result.table);
				}
			}
			metrics.push({ name: 'peak RSS (whole process)', value: process.resourceUsage().maxRSS / 1024, unit: 'MiB' });
			return {
				suite: 'runtime',
				environment: {
					backend: 'onnxruntime-node cpu',
					threads,
					model: options.settings.model ?? 'random qwen2-structured models (generated)',
					shapes: shapes.join('; '),
					experts: givenExperts
						? `${givenExperts.map((dir) => path.basename(dir)).join(', ')}; sets of 3 for switching`
						: '5 random adapters, r=8, all 7 projections; sets of 3 for switching'
				},
				metrics,
				tables,
				notes: [
					'Decode tok/s is a greedy loop on the KV cache (model time only, no tokenizer); variants are measured round-robin and the best round is reported, because the CPU is shared; "per CPU second" divides by the process CPU time (user + system), which other processes do not inflate.',
					'The 5-vs-none target ratio comes from a separate run that alternates the two sets token by token on two KV caches of one session, so bursts of load slow both alike (round-level figures swing by ±10% here).',
					'"none" runs the same LoRA graph with rank-1 zero blocks; the graph without LoRA inputs is the plain base model.',
					'WebGPU numbers come from the browser test on machines with a GPU; this machine has none (SwiftShader only).'
				]
			};
		} finally {
			await rm(root, { recursive: true, force: true });
		}
	}
};
