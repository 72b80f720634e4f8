// Expert packages with weights that would silently poison every answer, as a user runs the CLI on them: NaN or
// infinite LoRA values, finite ones so large (3e38) that the first matmul overflows, and overlapping safetensors
// offsets are reported by `expert validate` and refused in one line by classify and logits, which print no answer.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editSafetensorsFile, type TensorEdit } from '../fixtures/edit-safetensors.ts';
import { expectOneLineFailure, runExpert } from '../fixtures/expert-cli.ts';
import { writeRandomAdapter } from '../fixtures/tiny-model.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const EMBEDDED = path.join(REPO, 'static/models/expert-base-tiny');
const root = mkdtempSync(path.join(tmpdir(), 'adapter-files-'));
const experts = path.join(root, 'experts');
const sample = path.join(root, 'notes.txt');

/** Rewrites the package's weights with `edit` applied to its tensors (as fp32). */
const editWeights = (dir: string, edit: TensorEdit) =>
	editSafetensorsFile(path.join(dir, 'adapter_model.safetensors'), edit);

beforeAll(async () => {
	const config = JSON.parse(readFileSync(path.join(EMBEDDED, 'config.json'), 'utf8'));
	for (const [name, poison] of [
		['nan-expert', Number.NaN],
		['inf-expert', Number.POSITIVE_INFINITY]
	] as const) {
		const dir = path.join(experts, `${name}-v1`);
		await writeRandomAdapter(dir, config, { r: 2, targetModules: ['q_proj'], seed: 1, name });
		editWeights(dir, (tensors) => {
			const first = Object.keys(tensors).sort()[0];
			tensors[first].data[3] = poison;
		});
	}
	// Every weight 3e38: finite, so the NaN/∞ check passes it, but it overflows fp16 and fp32 in the first matmul.
	const huge = path.join(experts, 'huge-expert-v1');
	await writeRandomAdapter(huge, config, { r: 2, targetModules: ['q_proj'], seed: 3, name: 'huge-expert' });
	editWeights(huge, (tensors) => {
		for (const tensor of Object.values(tensors)) tensor.data.fill(3e38);
	});
	// Overlapping offsets: the header is rewritten so the second tensor's range starts inside the first's.
	const overlap = path.join(experts, 'overlap-expert-v1');
	await writeRandomAdapter(overlap, config, { r: 2, targetModules: ['q_proj'], seed: 2, name: 'overlap-expert' });
	const file = path.join(overlap, 'adapter_model.safetensors');
	const bytes = readFileSync(file);
	const headerLength = Number(bytes.readBigUInt64LE(0));
	const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<
		string,
		{ data_offsets: [number, number] }
	>;
	const [a, b] = Object.keys(header)
		.filter((key) => key !== '__metadata__')
		.sort();
	const size = header[b].data_offsets[1] - header[b].data_offsets[0];
	header[b].data_offsets = [header[a].data_offsets[0], header[a].data_offsets[0] + size];
	const text = Buffer.from(JSON.stringify(header).padEnd(headerLength, ' '));
	expect(text.length).toBe(headerLength);
	writeFileSync(file, Buffer.concat([bytes.subarray(0, 8), text, bytes.subarray(8 + headerLength)]));
	mkdirSync(path.dirname(sample), { recursive: true });
	copyFileSync(path.join(REPO, 'datasets/samples/README.md'), sample);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('poisoned adapter files', () => {
	it.each([
		['nan-expert', /tensor .* holds 1 NaN or infinite value/],
		['inf-expert', /tensor .* holds 1 NaN or infinite value/],
		['overlap-expert', /tensors .* and .* overlap/],
		['huge-expert', /layer 0 q_proj: lora_B·lora_A can reach 1\.5e\+81 on a unit-RMS input .*, over fp16's 65504/]
	])('expert validate reports %s as invalid', async (name, problem) => {
		const result = await runExpert(['validate', path.join(experts, `${name}-v1`), '--json']);
		expect(result.code).toBe(1);
		const { valid, packages } = JSON.parse(result.stdout) as {
			valid: boolean;
			packages: Array<{ status: string; problems: string[] }>;
		};
		expect(valid).toBe(false);
		const [report] = packages;
		expect(report.status).toBe('invalid');
		expect(
			report.problems.some((line) => problem.test(line)),
			report.problems.join('\n')
		).toBe(true);
	});

	it.each([
		['nan-expert', /nan-expert-v1: tensor .* holds 1 NaN or infinite value/],
		['inf-expert', /inf-expert-v1: tensor .* holds 1 NaN or infinite value/],
		['overlap-expert', /overlap/],
		['huge-expert', /huge-expert-v1: layer 0 q_proj: lora_B·lora_A can reach 1\.5e\+81 .* over fp16's 65504/]
	])('classify and logits refuse %s in one line and print no answer', async (name, pattern) => {
		const classify = await runExpert([
			'classify',
			sample,
			'--experts-dir',
			experts,
			'--experts',
			name,
			'--json',
			'--threads',
			'1'
		]);
		expectOneLineFailure(classify, pattern);
		expect(classify.stdout).toBe('');
		const logits = await runExpert([
			'logits',
			'--text',
			'hello',
			'--experts-dir',
			experts,
			'--experts',
			name,
			'--threads',
			'1'
		]);
		expectOneLineFailure(logits, pattern);
		expect(logits.stdout).toBe('');
	});
});
