// The body of POST /v1/jobs: which expert to train, on what, how; validated with zod so any bad field
// becomes one readable 400 message ("r: must be a positive integer"). The trainer parses it; the clients (CLI and
// browser) build it typed as JobRequestInput.
import { z } from 'zod';
import { ExpertError } from '../errors.ts';
import { LORA_MODULES } from '../experts/adapter.ts';
import { EXPERT_NAME_PATTERN, requirementProblem } from '../experts/manifest.ts';

const isLoraModule = (name: string) => (LORA_MODULES as readonly string[]).includes(name);

/** Expert requirements (name@range), each checked like a manifest's. */
const requirementList = () =>
	z
		.array(z.string())
		.default([])
		.superRefine((requires, ctx) => {
			for (const problem of requires.map(requirementProblem))
				if (problem) ctx.addIssue({ code: 'custom', message: problem });
		});

const positiveInt = () => z.number({ error: 'must be a number' }).int('must be an integer').positive('must be > 0');

const manifestFields = z.strictObject({
	version: z
		.string()
		.regex(/^\d+\.\d+\.\d+$/, 'must be semver like 1.0.0')
		.default('1.0.0'),
	/** Empty means "say what was trained" (the manifest needs a description). */
	description: z.string().max(500).default(''),
	capabilities: z.array(z.string().min(1)).default([]),
	constraints: z
		.strictObject({
			load_order: z.number().int().min(0).default(0),
			requires: requirementList()
		})
		.default({ load_order: 0, requires: [] }),
	routing: z
		.strictObject({
			keywords: z.array(z.string().min(1)).default([]),
			priority: z.number().min(0).max(1).default(0.5)
		})
		.default({ keywords: [], priority: 0.5 })
});

const datasetSource = z.union(
	[
		z.strictObject({
			content: z.string().min(1, 'is empty'),
			name: z.string().min(1).max(200).default('upload.jsonl')
		}),
		z.strictObject({ path: z.string().min(1) })
	],
	{ error: 'must be {"content": "<JSONL text>"} or {"path": "<file inside the data dir>"}' }
);

export const jobRequestSchema = z.strictObject({
	name: z
		.string()
		.max(64)
		.regex(EXPERT_NAME_PATTERN, 'must be lower-case words joined by hyphens (e.g. "json-parser")'),
	base_model: z.string().min(1),
	dataset: datasetSource,
	method: z.enum(['sft', 'dpo']).default('sft'),
	/** Start from this expert's adapter (name@version, or its folder inside the trainer's expert roots); for dpo it is also the reference policy. */
	init_adapter: z.string().min(1, 'is empty').max(1000).optional(),
	r: positiveInt().max(1024).default(16),
	alpha: z.number().positive('must be > 0').optional(),
	dropout: z.number().min(0).max(0.9).default(0.05),
	target_modules: z
		.array(z.string())
		.min(1, 'must name at least one module')
		.refine((modules) => modules.every(isLoraModule), {
			error: (issue) =>
				`unknown target module "${(issue.input as string[]).find((m) => !isLoraModule(m))}" (choose from ${LORA_MODULES.join(', ')})`
		})
		.refine((modules) => new Set(modules).size === modules.length, 'must not repeat a module')
		.default(['q_proj', 'v_proj']),
	epochs: positiveInt().max(1000).default(3),
	lr: z.number().positive('must be > 0').max(1).default(2e-4),
	batch_size: positiveInt().max(4096).default(4),
	grad_accum: positiveInt().max(4096).default(1),
	max_seq_len: positiveInt().min(8).max(131072).default(512),
	seed: z.number().int().min(0).default(0),
	beta: z.number().positive('must be > 0').default(0.1),
	warmup_steps: z.number().int().min(0).optional(),
	max_steps: positiveInt().optional(),
	max_grad_norm: z.number().positive().default(1.0),
	checkpoint_every: positiveInt().default(50),
	eval_fraction: z.number().min(0).max(0.5).default(0),
	gradient_checkpointing: z.boolean().default(true),
	device: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
	/** Train on several processes under torchrun (gloo on CPU, NCCL on CUDA): `nproc_per_node` on this host, and
	 * with `nnodes` > 1 on several hosts, each sent the same request with its own `node_rank` and the first host's
	 * address and a free port (static rendezvous). The same global batch and order, so the same adapter as one
	 * process, in less time where there are cores or GPUs to spare. */
	distributed: z
		.strictObject({
			nproc_per_node: positiveInt().max(64, 'must be at most 64').default(1),
			nnodes: positiveInt().max(1024, 'must be at most 1024').default(1),
			node_rank: z.number({ error: 'must be a number' }).int('must be an integer').min(0, 'must be >= 0').default(0),
			master_addr: z
				.string()
				.regex(/^[A-Za-z0-9][A-Za-z0-9.:-]*$/, 'must be a host name or IP address (the first node)')
				.max(253)
				.optional(),
			master_port: positiveInt().max(65535, 'must be a port, 1-65535').optional(),
			backend: z.enum(['gloo', 'nccl']).optional()
		})
		.superRefine((wanted, ctx) => {
			const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
			if (wanted.node_rank >= wanted.nnodes)
				problem('node_rank', `must be below nnodes (${wanted.nnodes}): nodes count from 0`);
			if (wanted.nnodes > 1 && wanted.master_addr === undefined)
				problem('master_addr', "the first node's address is needed when nnodes > 1");
			if (wanted.nnodes > 1 && wanted.master_port === undefined)
				problem('master_port', 'a free port on the first node is needed when nnodes > 1');
			if (wanted.nnodes === 1 && (wanted.master_addr !== undefined || wanted.master_port !== undefined))
				problem(wanted.master_addr !== undefined ? 'master_addr' : 'master_port', 'only for nnodes > 1');
		})
		.optional(),
	/** Stack dropout: experts (name@range, their requirements included) active under the one being trained in a
	 * random subset with random weights, each step, so that stacking them later does not break it. */
	stack_experts: requirementList(),
	/** Probability that a stack expert is left out of a step. */
	stack_dropout: z.number().min(0).max(1).default(0.5),
	/** Each active stack expert's weight is drawn uniformly from [low, high]. */
	stack_weight_range: z
		.tuple([z.number().min(0), z.number().positive()])
		.default([0.5, 1.5])
		.refine(([low, high]) => low <= high, 'must be [low, high] with low <= high'),
	manifest: manifestFields.default({
		version: '1.0.0',
		description: '',
		capabilities: [],
		constraints: { load_order: 0, requires: [] },
		routing: { keywords: [], priority: 0.5 }
	})
});

export type JobRequest = z.infer<typeof jobRequestSchema>;
/** What a client sends: the fields it leaves out take their defaults. */
export type JobRequestInput = z.input<typeof jobRequestSchema>;

/** Validates a request body; the first problem becomes an ExpertError `field: message`. */
export function parseJobRequest(body: unknown): JobRequest {
	const result = jobRequestSchema.safeParse(body);
	if (!result.success) {
		const issue = result.error.issues[0];
		const field = issue.path.length ? issue.path.join('.') : 'body';
		throw new ExpertError('bad-job-request', `${field}: ${issue.message}`);
	}
	return result.data;
}
