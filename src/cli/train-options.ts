// The options of `expert train`: what to train on, the LoRA and optimizer settings, the manifest's fields, where
// the package goes and which trainer runs it (defaults as the trainer's request schema has them).
import { Option, type Command } from 'commander';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { integerOption, numberOption } from './numeric-option.ts';
import { TOKEN_OPTION_HELP } from './token-option.ts';

const list = (value: string) =>
	value
		.split(',')
		.map((item) => item.trim())
		.filter(Boolean);

export function addTrainOptions(command: Command): Command {
	return command
		.option('--name <name>', 'expert name (lower-case, digits, dashes); required unless --manifest')
		.option(
			'--manifest <file>',
			'take name, version, description, capabilities, requires, load order and routing from this manifest.json'
		)
		.requiredOption(
			'--dataset <file>',
			'JSONL: chat {messages} or {instruction, input?, output} records for sft; {prompt, chosen, rejected} for dpo'
		)
		.requiredOption(
			'--base-model <name|dir>',
			'base model: a name the trainer knows, or (local trainer) an HF model folder'
		)
		.addOption(
			new Option('--method <method>', 'sft (supervised LoRA; "lora" means the same, as the seed writes it) or dpo')
				.choices(['sft', 'lora', 'dpo'])
				.default('sft')
		)
		.option(
			'--init-adapter <dir|name@version>',
			"start from this expert package's adapter (same base, r, alpha, target modules), e.g. DPO after SFT; for dpo it is also the reference policy. A folder needs the local trainer"
		)
		.option('--r <n>', 'LoRA rank', integerOption(1), 16)
		.option('--alpha <n>', 'LoRA alpha (default 2r)', numberOption)
		.option('--dropout <p>', 'LoRA dropout', numberOption, 0.05)
		.option(
			'--target-modules <list>',
			'comma-separated projections (q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj)',
			list,
			['q_proj', 'v_proj']
		)
		.option('--epochs <n>', 'passes over the dataset', integerOption(1), 3)
		.option('--lr <x>', 'peak learning rate (AdamW, cosine schedule with warmup)', numberOption, 2e-4)
		.option('--batch-size <n>', 'packed rows (sft) or pairs (dpo) per micro-batch', integerOption(1), 4)
		.option('--grad-accum <n>', 'micro-batches per optimizer step', integerOption(1), 1)
		.option('--max-seq-len <n>', 'longest packed row in tokens', integerOption(8), 512)
		.option('--seed <n>', 'random seed', integerOption(0), 0)
		.option('--beta <x>', 'DPO beta', numberOption, 0.1)
		.option('--max-steps <n>', 'stop after this many optimizer steps', integerOption(1))
		.option('--checkpoint-every <n>', 'save a resumable checkpoint every n steps', integerOption(1), 50)
		.option('--eval-fraction <x>', 'share of the data held out for eval events', numberOption, 0)
		.option('--device <auto|cpu|cuda>', 'where the worker trains', 'auto')
		.option(
			'--nproc <n>',
			'train on n processes of the trainer host under torchrun (gloo on CPU, NCCL on CUDA): the same global batch, the same adapter as one process',
			integerOption(1),
			1
		)
		.option(
			'--nnodes <n>',
			"train across n hosts: run this on each (or send it to each host's --trainer) with its --node-rank, the same --master-addr and --master-port",
			integerOption(1),
			1
		)
		.option('--node-rank <i>', "this host's place among --nnodes, from 0 (the first node)", integerOption(0), 0)
		.option('--master-addr <host>', "the first node's address, as the other nodes reach it (--nnodes > 1)")
		.option('--master-port <port>', 'a free port on the first node for the rendezvous (--nnodes > 1)', integerOption(1))
		.option(
			'--no-gradient-checkpointing',
			'keep activations instead of recomputing them (faster on a GPU with memory to spare)'
		)
		.option('--package-version <semver>', 'version written into the manifest', '1.0.0')
		.option('--description <text>', 'manifest description', '')
		.option('--capabilities <list>', 'comma-separated manifest capabilities', list, [])
		.option('--requires <list>', 'comma-separated dependencies (name@range), trained on top of, frozen', list, [])
		.option(
			'--stack-experts <list>',
			'stack dropout: comma-separated experts (name@range) stacked under the one trained, each step a random subset with random weights in [0.5, 1.5], so stacking them later does not break it',
			list,
			[]
		)
		.option('--stack-dropout <p>', 'probability that a --stack-experts expert is left out of a step', numberOption, 0.5)
		.option('--load-order <n>', 'manifest constraints.load_order', integerOption(0), 0)
		.option('--keywords <list>', 'comma-separated routing keywords', list, [])
		.option('--priority <x>', 'routing priority in [0, 1]', numberOption, 0.5)
		.option('--output <dir>', 'package folder to write (default experts/<name>-v<major>)')
		.option('--force', 'replace --output if it exists')
		.option('--trainer <url>', 'trainer service URL (default: start one in-process)')
		.option('--token <token>', `--trainer's ${TOKEN_OPTION_HELP.token}`)
		.option('--token-file <file>', TOKEN_OPTION_HELP.tokenFile)
		.option('--data-dir <dir>', 'data dir of the in-process trainer', path.join(tmpdir(), 'expert-trainer'))
		.option('--python <path>', 'interpreter of the in-process trainer (default: $EXPERT_PYTHON or /usr/bin/python3)')
		.option('--loss-curve <file.svg>', 'also draw the training loss per step (raw and moving average) into this SVG')
		.option('--json', 'print the result (job id, output folder, metrics) as JSON instead of a progress bar');
}
