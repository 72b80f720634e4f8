// `expert train`'s progress on stderr (a bar on a terminal, plain lines otherwise), so --json's stdout stays one
// document.
import { SingleBar } from 'cli-progress';
import type { TrainerEvent } from '../lib/trainer-api/trainer-client.ts';

/** Without a terminal (a log file, CI), a plain progress line at most this often. */
const LOG_EVERY_MS = 10_000;

/** Progress on stderr (a bar on a terminal, plain lines otherwise), so --json's stdout stays one document. */
export function progressReporter(): (event: TrainerEvent) => void {
	const bar = process.stderr.isTTY
		? new SingleBar({
				format: 'training [{bar}] {value}/{total} steps | loss {loss} | {speed} tok/s | eta {eta_s}s',
				stream: process.stderr,
				hideCursor: true
			})
		: null;
	let started = false;
	let total = 0;
	let lastLogged = 0;
	return (event) => {
		const data = event.data;
		const fields = {
			loss: Number(data.loss).toFixed(4),
			speed: String(data.tokens_per_s ?? '-'),
			eta_s: String(data.eta_s ?? '-')
		};
		if (event.type === 'started' && !started) {
			started = true;
			total = Number(data.total_steps);
			if (bar) bar.start(total, Number(data.resumed_from_step ?? 0), { loss: '-', speed: '-', eta_s: '-' });
			else
				process.stderr.write(
					`training: ${total} steps on ${String(data.device ?? '?')}${data.resumed_from_step ? `, resuming at step ${String(data.resumed_from_step)}` : ''}\n`
				);
		} else if (event.type === 'step') {
			const step = Number(data.step);
			if (bar) bar.update(step, fields);
			else if (step === total || step === 1 || Date.now() - lastLogged >= LOG_EVERY_MS) {
				lastLogged = Date.now();
				process.stderr.write(
					`training: step ${step}/${total}, loss ${fields.loss}, ${fields.speed} tok/s, eta ${fields.eta_s} s\n`
				);
			}
		} else if (['done', 'failed', 'cancelled'].includes(event.type) && started) {
			bar?.stop();
		}
	};
}
