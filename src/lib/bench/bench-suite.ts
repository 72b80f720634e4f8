// What a benchmark suite is (runtime, trainer, …): a named async run producing metrics, tables and notes
// that the bench report turns into JSON and markdown.

export interface BenchMetric {
	name: string;
	value: number;
	unit: string;
	/** Human-readable target, e.g. "< 5 ms". */
	target?: string;
	/** Whether the target was met (absent when there is no target). */
	met?: boolean;
}

export interface BenchTable {
	title: string;
	columns: string[];
	rows: Array<Array<string | number>>;
}

export interface BenchSuiteResult {
	suite: string;
	environment: Record<string, string | number>;
	metrics: BenchMetric[];
	tables: BenchTable[];
	notes: string[];
}

export interface BenchRunOptions {
	/** Smaller workloads for a smoke run. */
	quick: boolean;
	/** Progress lines (stderr in the CLI). */
	log: (line: string) => void;
	/** Suite-specific settings from the command line (e.g. model folder). */
	settings: Record<string, string | undefined>;
}

export interface BenchSuite {
	name: string;
	description: string;
	run(options: BenchRunOptions): Promise<BenchSuiteResult>;
}

/** A metric with a target: at least `goal.atLeast`, or below `goal.below` (written "< N unit"). */
export function targetMetric(
	name: string,
	value: number,
	unit: string,
	goal: { atLeast: number } | { below: number }
): BenchMetric {
	if ('atLeast' in goal) return { name, value, unit, target: `>= ${goal.atLeast}`, met: value >= goal.atLeast };
	const suffix = unit === 'ms' ? ' ms' : '';
	return { name, value, unit, target: `< ${goal.below}${suffix}`, met: value < goal.below };
}
