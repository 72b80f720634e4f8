// The seed's runtime rows for the evaluation report, measured on the loaded classification session:
// cold expert load, switch between cached sets, latency of a 1,024-token input, memory with five experts
// stacked, and a classification with all experts active at once.
import type { ClassificationSession } from '../classify/classification-session.ts';
import { median } from '../median.ts';
import type { DocumentInput } from '../classify/document-classifier.ts';

const ms = (value: number) => `${value.toFixed(1)} ms`;

async function timed(work: () => Promise<unknown>): Promise<number> {
	const started = performance.now();
	await work();
	return performance.now() - started;
}

/** `ids`: every expert (`name@version`, load-plan order); `memoryBytes`: the process's resident memory. */
export async function measureRuntimeFigures(
	session: ClassificationSession,
	loadAdapterFresh: (id: string) => Promise<unknown>,
	ids: string[],
	sample: DocumentInput,
	memoryBytes: () => number
): Promise<Record<string, string>> {
	const { runtime } = session;
	const coldLoads: number[] = [];
	for (const id of ids) coldLoads.push(await timed(() => loadAdapterFresh(id)));
	const activations: number[] = [];
	for (const id of ids) activations.push(await timed(() => session.activate([id])));
	const switches: number[] = [];
	for (let round = 0; round < 3; round++)
		for (const id of ids) switches.push(await timed(() => session.activate([id])));

	await session.activate([]);
	const memoryBefore = memoryBytes();
	const five = ids.slice(0, 5);
	await session.activate(five);
	const memoryFive = memoryBytes();

	const input = Array.from({ length: 1024 }, (_, i) => 32 + (i % 90));
	const latencies: number[] = [];
	for (let round = 0; round < 3; round++) {
		latencies.push(
			await timed(async () => {
				const result = await runtime.forward(input, runtime.emptyCache());
				runtime.releaseCache(result.cache);
			})
		);
	}
	const all = await session.classifyWith(sample, ids);
	return {
		'expert package read + check (cold, median of each expert)': ms(median(coldLoads)),
		'first activation of one expert (stacking, median)': ms(median(activations)),
		'switch to a cached expert set (median)': ms(median(switches)),
		[`1,024-token input, ${five.length} experts stacked (prefill, median of 3)`]: ms(median(latencies)),
		[`resident memory, base model + ${five.length} experts stacked`]: `${(memoryFive / 2 ** 20).toFixed(0)} MiB (+${((memoryFive - memoryBefore) / 2 ** 20).toFixed(1)} MiB over none)`,
		[`all ${ids.length} experts active at once`]: `ok: classified ${sample.fileName} as ${all.classification.language} in ${all.milliseconds.toFixed(0)} ms`
	};
}
