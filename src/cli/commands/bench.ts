// `expert bench`: runs the registered benchmark suites and writes JSON + markdown reports (bench-results/).
import { Command } from 'commander';
import { newReport, writeReport } from '../../lib/bench/bench-report.ts';
import type { BenchSuiteResult } from '../../lib/bench/bench-suite.ts';
import { ExpertError } from '../../lib/errors.ts';
import { printJson } from '../run-cli.ts';
import { BENCH_SUITES } from './bench-suites.ts';

interface BenchOptions {
	suite?: string[];
	out: string;
	quick?: boolean;
	model?: string;
	experts?: string[];
	threads: string;
	precisions: string;
	json?: boolean;
}

export function registerBenchCommand(program: Command): void {
	program
		.command('bench')
		.description(
			`run benchmark suites (${BENCH_SUITES.map((s) => s.name).join(', ')}) and write JSON + markdown reports`
		)
		.option('--suite <name...>', 'suites to run (default: all)')
		.option('--out <dir>', 'report folder', 'bench-results')
		.option('--quick', 'small workloads (smoke run)')
		.option('--model <dir>', 'runtime suite: benchmark this base model folder instead of a generated one')
		.option(
			'--experts <dirs...>',
			'runtime suite, with --model: stack these 5 expert packages instead of random r8 adapters'
		)
		.option('--threads <n>', 'runtime suite: ONNX Runtime CPU threads', '1')
		.option('--precisions <list>', 'runtime suite: weight precisions to measure', 'fp32,q4')
		.option('--json', 'print the whole report as JSON on stdout')
		.action(async (options: BenchOptions) => {
			const names = options.suite ?? BENCH_SUITES.map((s) => s.name);
			const unknown = names.filter((n) => !BENCH_SUITES.some((s) => s.name === n));
			if (unknown.length)
				throw new ExpertError(
					'unknown-suite',
					`unknown bench suite ${unknown[0]} (known: ${BENCH_SUITES.map((s) => s.name).join(', ')})`
				);
			if (options.experts && (!options.model || options.experts.length !== 5)) {
				throw new ExpertError(
					'bad-option',
					`--experts takes exactly 5 expert package folders and needs --model (got ${options.experts.length}${options.model ? '' : ', no --model'})`
				);
			}
			for (const precision of options.precisions.split(',')) {
				if (!['fp32', 'fp16', 'q4'].includes(precision))
					throw new ExpertError('bad-option', `--precisions: unknown precision ${precision} (fp32, fp16, q4)`);
			}
			const results: BenchSuiteResult[] = [];
			for (const suite of BENCH_SUITES.filter((s) => names.includes(s.name))) {
				process.stderr.write(`bench ${suite.name}: ${suite.description}\n`);
				results.push(
					await suite.run({
						quick: options.quick === true,
						log: (line) => process.stderr.write(`  ${line}\n`),
						settings: {
							model: options.model,
							experts: options.experts?.join(','),
							threads: options.threads,
							precisions: options.precisions
						}
					})
				);
			}
			const report = newReport(results);
			const paths = await writeReport(report, options.out);
			if (options.json) printJson(report);
			else {
				for (const suite of results) {
					for (const m of suite.metrics) {
						const verdict = m.met === undefined ? '' : m.met ? '  (target met)' : `  (target ${m.target} NOT met)`;
						process.stdout.write(`${suite.suite}: ${m.name}: ${m.value.toFixed(3)} ${m.unit}${verdict}\n`);
					}
				}
				process.stdout.write(`report: ${paths.json}, ${paths.markdown}\n`);
			}
		});
}
