// `expert trainer serve`: runs the trainer HTTP service until interrupted (a running job then stops
// and resumes from its last checkpoint when the service starts again on the same data dir).
import type { Command } from 'commander';
import { integerOption, numberOption } from '../numeric-option.ts';
import { printJson } from '../run-cli.ts';
import { addAccessOptions, resolveToken } from '../token-option.ts';

export function registerTrainerCommand(program: Command): void {
	const trainer = program
		.command('trainer')
		.description('The companion service that trains experts (LoRA SFT and DPO).');
	addAccessOptions(trainer.command('serve'))
		.description('Serve the trainer HTTP API (POST/GET/DELETE /v1/jobs, SSE events, artifact download).')
		.option('--port <n>', 'TCP port (0 = any free port)', integerOption(0), 8787)
		.option(
			'--data-dir <dir>',
			'where jobs, the SQLite store, datasets/, models/ and packages/ live',
			'.expert-trainer'
		)
		.option('--max-upload-mb <n>', 'largest request body (uploaded dataset) in MiB', numberOption, 32)
		.option('--queue-limit <n>', 'most queued jobs; more are refused with 429', integerOption(1), 16)
		.option('--python <path>', 'interpreter that imports torch (default: $EXPERT_PYTHON or /usr/bin/python3)')
		.option('--threads <n>', 'CPU threads per training job', integerOption(1))
		.option('--json', 'print the listening address as JSON')
		.action(async (options) => {
			const { startTrainerServer } = await import('../../trainer/server.ts'); // loaded on use: keeps other commands' start-up light
			const server = await startTrainerServer({
				dataDir: options.dataDir,
				host: options.host,
				port: options.port,
				token: resolveToken(options),
				corsOrigins: options.corsOrigin,
				maxUploadBytes: Math.round(options.maxUploadMb * 1024 * 1024),
				queueLimit: options.queueLimit,
				python: options.python,
				threads: options.threads
			});
			if (options.json) printJson({ url: server.url, data_dir: options.dataDir });
			else process.stdout.write(`trainer listening on ${server.url} (data dir ${options.dataDir})\n`);
			await new Promise<void>((resolve) => {
				const stop = () => void server.close().then(resolve);
				process.once('SIGINT', stop);
				process.once('SIGTERM', stop);
			});
		});
}
