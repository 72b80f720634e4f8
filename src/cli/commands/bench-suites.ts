// The benchmark suites `expert bench` knows, in run order; add a suite here to include it in `npm run bench`.
import { appLoadBenchSuite } from '../../lib/bench/app-load-suite.ts';
import { classifyBenchSuite } from '../../lib/bench/classify-suite.ts';
import { constrainedDecodingBenchSuite } from '../../lib/bench/constrained-decoding-suite.ts';
import { runtimeBenchSuite } from '../../lib/bench/runtime-suite.ts';
import { repositoryBenchSuite } from '../../lib/bench/repository-suite.ts';
import type { BenchSuite } from '../../lib/bench/bench-suite.ts';
import { trainerBenchSuite } from '../../trainer/bench.ts';
import { trainerScaleBenchSuite } from '../../trainer/scale-bench.ts';
import { trainerUploadBenchSuite } from '../../trainer/upload-bench.ts';

export const BENCH_SUITES: BenchSuite[] = [
	classifyBenchSuite,
	repositoryBenchSuite,
	appLoadBenchSuite,
	runtimeBenchSuite,
	constrainedDecodingBenchSuite,
	trainerBenchSuite,
	trainerScaleBenchSuite,
	trainerUploadBenchSuite
];
