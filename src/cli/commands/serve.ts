// `expert serve`: an OpenAI-compatible chat-completions endpoint on loopback (a token beyond it) over the
// embedded base (or --model) and the experts under --experts-dir, which requests pick with an `experts` field.
import path from 'node:path';
import { Option, type Command } from 'commander';
import { openExpertFolder } from '../../lib/classify/expert-loader-fs.ts';
import { BASE_MODEL_NAME } from '../../lib/model/base-model-config.ts';
import { ExpertStack } from '../../lib/runtime/expert-stack.ts';
import { loadBaseModel } from '../../lib/runtime/load-fs.ts';
import { warnSkippedPackages } from '../package-warnings.ts';
import { integerOption } from '../numeric-option.ts';
import { addAccessOptions, resolveToken } from '../token-option.ts';
import { DEFAULT_EXPERTS_DIR, DEFAULT_MODEL_DIR } from './model-options.ts';

export function registerServeCommand(program: Command): void {
	addAccessOptions(program.command('serve'))
		.description(
			'Serve OpenAI-compatible chat completions (POST /v1/chat/completions, streaming, response_format, experts) and GET /v1/models.'
		)
		.option('--model <dir|url>', 'base model folder or URL; default: the embedded base', DEFAULT_MODEL_DIR)
		.option('--experts-dir <dir>', 'expert packages requests may stack', DEFAULT_EXPERTS_DIR)
		.addOption(new Option('--precision <p>', 'base weight precision').choices(['fp32', 'fp16', 'q4']).default('fp32'))
		.option('--threads <n>', 'CPU threads for ONNX Runtime (default: all)', integerOption(1))
		.option('--port <n>', 'TCP port (0 = any free port)', integerOption(0), 8080)
		.option('--json', 'print {url, model, experts} as one JSON line once listening')
		.addHelpText(
			'after',
			`\nExample (any OpenAI client works; "experts" is Expert's own field):\n  curl -s http://127.0.0.1:8080/v1/chat/completions -H 'content-type: application/json' \\\n    -d '{"messages":[{"role":"user","content":"Fix this JSON: {\\"a\\": 1,}"}],"experts":["json-parser"]}'\n`
		)
		.action(async (options) => {
			const { startGenerationServer } = await import('../../serve/server.ts'); // loaded on use: keeps other commands' start-up light
			const token = resolveToken(options);
			const { runtime, tokenizer } = await loadBaseModel(options.model, {
				precision: options.precision,
				threads: options.threads
			});
			const folder = await openExpertFolder(options.expertsDir, runtime.config);
			warnSkippedPackages(folder.skipped);
			const stack = new ExpertStack(runtime, folder.registry, folder.loadAdapter);
			const modelName = options.model === DEFAULT_MODEL_DIR ? BASE_MODEL_NAME : path.basename(options.model);
			const server = await startGenerationServer({
				context: { runtime, tokenizer, registry: stack.registry, activate: (ids) => stack.activate(ids) },
				modelName,
				host: options.host,
				port: options.port,
				token,
				corsOrigins: options.corsOrigin
			});
			const experts = folder.registry.map((m) => m.name);
			if (options.json) process.stdout.write(`${JSON.stringify({ url: server.url, model: modelName, experts })}\n`);
			else
				process.stdout.write(
					`serving ${modelName} with experts ${experts.join(', ') || '(none)'} at ${server.url}/v1 (Ctrl-C stops)\n`
				);
			await new Promise<void>((resolve) => {
				const stop = () => void server.close().then(resolve);
				process.once('SIGINT', stop);
				process.once('SIGTERM', stop);
			});
		});
}
