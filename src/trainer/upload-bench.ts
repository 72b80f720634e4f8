// The 'trainer-upload' benchmark suite of `expert bench`: a trainer service in its own process receives
// a large dataset upload (30 MB; 3 MB with --quick) while this process polls /v1/health every 200 ms,
// and the report gives how long the upload took and how long health checks waited meanwhile.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchSuite } from '../lib/bench/bench-suite.ts';
import { REPO_ROOT } from '../lib/datasets/corpus-fs.ts';
import { median } from '../lib/median.ts';
import { writeTinyModel } from '../lib/model/random-model.ts';

const HEALTH_EVERY_MS = 200;
const TARGET_MAX_MS = 1000;

/** Starts `expert trainer serve` on a free port; resolves with its URL and a stop function. */
async function startService(dataDir: string, maxUploadMb: number): Promise<{ url: string; stop: () => void }> {
	const child = spawn(
		process.execPath,
		[
			path.join(REPO_ROOT, 'src/cli/expert.js'),
			'trainer',
			'serve',
			'--port',
			'0',
			'--data-dir',
			dataDir,
			'--max-upload-mb',
			String(maxUploadMb),
			'--threads',
			'1'
		],
		{ stdio: ['ignore', 'pipe', 'inherit'] }
	);
	const url = await new Promise<string>((resolve, reject) => {
		child.stdout.on('data', (chunk) => {
			const found = /http:\/\/\S+/.exec(String(chunk));
			if (found) resolve(found[0]);
		});
		child.once('exit', (code) => reject(new Error(`trainer serve exited with ${code}`)));
	});
	return { url, stop: () => child.kill('SIGTERM') };
}

/** SFT records of about 300 bytes each, `megabytes` in all. */
function syntheticDataset(megabytes: number): string {
	const line = JSON.stringify({
		instruction: 'Say what this text is about. '.repeat(5),
		output: 'It is about repetition and the sea. '.repeat(5)
	});
	return Array.from({ length: Math.ceil((megabytes * 1e6) / (line.length + 1)) }, () => line).join('\n');
}

export const trainerUploadBenchSuite: BenchSuite = {
	name: 'trainer-upload',
	description: 'a large dataset upload to the trainer service, and the wait of health checks sent meanwhile',
	async run({ quick, log }) {
		const megabytes = quick ? 3 : 30;
		const dataDir = mkdtempSync(path.join(tmpdir(), 'trainer-upload-bench-'));
		try {
			await writeTinyModel(path.join(dataDir, 'models', 'tiny-qwen2'), {
				hiddenSize: 112,
				intermediateSize: 192,
				seed: 1
			});
			const service = await startService(dataDir, megabytes * 2);
			try {
				const content = syntheticDataset(megabytes);
				log(`trainer-upload: posting ${(content.length / 1e6).toFixed(1)} MB`);
				const started = performance.now();
				let answered = false;
				const upload = fetch(`${service.url}/v1/jobs`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({
						name: 'upload-bench',
						base_model: 'tiny-qwen2',
						dataset: { content },
						max_steps: 1,
						epochs: 1
					})
				}).then((response) => {
					answered = true;
					return { status: response.status, seconds: (performance.now() - started) / 1000 };
				});
				const waits: number[] = [];
				while (!answered) {
					const sent = performance.now();
					await fetch(`${service.url}/v1/health`);
					waits.push(performance.now() - sent);
					await new Promise((resolve) => setTimeout(resolve, HEALTH_EVERY_MS));
				}
				const { status, seconds } = await upload;
				const worst = Math.max(...waits);
				log(
					`trainer-upload: HTTP ${status} after ${seconds.toFixed(1)} s; health checks waited at most ${worst.toFixed(0)} ms`
				);
				return {
					suite: 'trainer-upload',
					environment: { upload_mb: Number((content.length / 1e6).toFixed(1)), health_every_ms: HEALTH_EVERY_MS },
					metrics: [
						{ name: 'upload answered after', value: Number(seconds.toFixed(2)), unit: 's' },
						{ name: 'health check wait, median', value: Number(median(waits).toFixed(0)), unit: 'ms' },
						{
							name: 'health check wait, max',
							value: Number(worst.toFixed(0)),
							unit: 'ms',
							target: `< ${TARGET_MAX_MS} ms`,
							met: worst < TARGET_MAX_MS
						}
					],
					tables: [],
					notes: [
						`${waits.length} health checks during the upload (HTTP ${status}); the service runs in its own process, this one only measures.`
					]
				};
			} finally {
				service.stop();
			}
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	}
};
