// `expert tune`'s progress on stderr: a bar per phase (weight search, routed experts) on a terminal, plain lines
// otherwise; `finish` stops whatever bar is still running.
import { SingleBar } from 'cli-progress';
import type { TuneProgress } from '../lib/tune/tune-expert-set.ts';

export function tuneProgress(json: boolean): { report: (progress: TuneProgress) => void; finish: () => void } {
	const bar =
		process.stderr.isTTY && !json
			? new SingleBar({
					format: '{phase} [{bar}] {value}/{total} | best language {best}',
					stream: process.stderr,
					hideCursor: true
				})
			: null;
	let phase = '';
	const finish = () => {
		if (phase) bar?.stop();
		phase = '';
	};
	const report = (progress: TuneProgress) => {
		const best = progress.best === undefined ? '-' : `${(100 * progress.best).toFixed(1)}%`;
		const label = progress.phase === 'weights' ? 'weight search (evaluations)' : 'routed experts (measured)';
		if (!bar) {
			if (progress.phase !== phase || progress.done === progress.total)
				process.stderr.write(`${label}: ${progress.done}/${progress.total}, best language ${best}\n`);
		} else if (progress.phase !== phase) {
			finish();
			bar.start(progress.total, progress.done, { phase: label, best });
		} else bar.update(progress.done, { best });
		phase = progress.phase;
	};
	return { report, finish };
}
