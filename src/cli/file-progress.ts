// A progress bar on stderr for a run over files (cli-progress), drawn only where the caller says it helps; the
// same calls whether it is drawn or not.
import { SingleBar } from 'cli-progress';

export interface FileProgress {
	start(total: number, label?: string): void;
	tick(): void;
	stop(): void;
}

export function fileProgress(shown: (total: number) => boolean, label = 'classifying'): FileProgress {
	const bar = new SingleBar({
		format: '{label} [{bar}] {value}/{total} files | ETA {eta_formatted}',
		stream: process.stderr,
		hideCursor: true
	});
	let drawn = false;
	return {
		start(total, named = label) {
			drawn = shown(total);
			if (drawn) bar.start(total, 0, { label: named });
		},
		tick: () => drawn && bar.increment(),
		stop() {
			if (drawn) bar.stop();
			drawn = false;
		}
	};
}
