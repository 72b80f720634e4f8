// manifest.json and adapter_config.json schemas: the six seed manifests parse, every rule rejects
// bad values with one line naming the file and field; PEFT tensor names round-trip.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExpertError } from '../../src/lib/errors.ts';
import {
	adapterTensorName,
	LORA_MODULES,
	parseAdapterConfig,
	parseAdapterTensorName
} from '../../src/lib/experts/adapter.ts';
import { parseManifest } from '../../src/lib/experts/manifest.ts';

const expertsDir = path.resolve(import.meta.dirname, '../../experts');

const valid = {
	name: 'neo4j-cypher',
	version: '1.0.0',
	description: 'Neo4j Cypher query and schema specialist',
	capabilities: ['tech:neo4j'],
	constraints: { load_order: 6, requires: ['english-basic@>=1.0.0'] },
	routing: { keywords: ['MATCH', '{'], priority: 0.85 }
};

/** A manifest as the tests break it: any field, any nesting. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests write deliberately malformed manifests
type Manifestish = Record<string, any>;

/** The error message parseManifest gives for `valid` changed by `edit` (fails the test when it parses). */
function manifestError(edit: (m: Manifestish) => void): string {
	const manifest = structuredClone(valid) as Manifestish;
	edit(manifest);
	try {
		parseManifest(JSON.stringify(manifest), 'experts/x/manifest.json');
	} catch (error) {
		expect(error).toBeInstanceOf(ExpertError);
		expect((error as Error).message).not.toContain('\n');
		expect((error as Error).message.startsWith('experts/x/manifest.json: ')).toBe(true);
		return (error as Error).message;
	}
	throw new Error(`manifest was accepted: ${JSON.stringify(manifest)}`);
}

describe('manifest schema', () => {
	it('parses the six seed manifests exactly as written', () => {
		const dirs = readdirSync(expertsDir)
			.filter((dir) => existsSync(path.join(expertsDir, dir, 'manifest.json')))
			.sort();
		expect(dirs).toEqual(
			expect.arrayContaining([
				...['document-classifier-v1', 'english-basic-v1', 'json-parser-v2'],
				...['neo4j-cypher-v1', 'python-code-v1', 'rust-code-v1']
			])
		);
		for (const dir of dirs) {
			const text = readFileSync(path.join(expertsDir, dir, 'manifest.json'), 'utf8');
			expect(parseManifest(text, dir)).toEqual(JSON.parse(text));
		}
		const jsonParser = parseManifest(readFileSync(path.join(expertsDir, 'json-parser-v2/manifest.json'), 'utf8'), 'j');
		expect(jsonParser.version).toBe('2.0.0');
		expect(jsonParser.constraints.load_order).toBe(1);
	});

	it('accepts an optional base_model and a name-only requirement', () => {
		const manifest = parseManifest(
			JSON.stringify({
				...valid,
				constraints: { load_order: 0, requires: ['english-basic', 'json-parser@^2.1.0 || 3.x'] },
				base_model: { name: 'tiny', hidden_size: 64, num_hidden_layers: 2 }
			}),
			'm'
		);
		expect(manifest.base_model).toEqual({ name: 'tiny', hidden_size: 64, num_hidden_layers: 2 });
		expect(manifest.constraints.requires).toHaveLength(2);
	});

	it('accepts an optional output format beyond the seed schema, and refuses an unknown one', () => {
		expect(parseManifest(JSON.stringify({ ...valid, output: { format: 'json' } }), 'm').output).toEqual({
			format: 'json'
		});
		expect(parseManifest(JSON.stringify(valid), 'm').output).toBeUndefined();
		expect(manifestError((m) => (m.output = { format: 'yaml' }))).toMatch(/output\.format: /);
		expect(manifestError((m) => (m.output = { format: 'json', strict: true }))).toMatch(/output/);
	});

	it('rejects malformed JSON and non-objects', () => {
		expect(() => parseManifest('{"name": ', 'm.json')).toThrow(/^m\.json: malformed JSON \(unexpected end of input\)$/);
		// The error never quotes the file's own bytes (private text, binary, terminal escapes).
		expect(() => parseManifest('SECRET=hunter2 \u001b[2J', 'm.json')).toThrow(
			/^m\.json: malformed JSON \(not JSON from its first character on\)$/
		);
		expect(() => parseManifest('{"name" "x"}', 'm.json')).toThrow(
			/^m\.json: malformed JSON \(Expected ':' after property name at position 8\)$/
		);
		expect(() => parseManifest('[]', 'm.json')).toThrow(/^m\.json: \(root\): /);
	});

	it.each([
		['name missing', (m: Manifestish) => delete m.name, /name: .*expected string/],
		[
			'name with capitals/spaces',
			(m: Manifestish) => (m.name = 'Neo4j Cypher'),
			/name: must be lower-case words joined by hyphens/
		],
		['name with double hyphen', (m: Manifestish) => (m.name = 'a--b'), /name: must be lower-case/],
		['version not semver', (m: Manifestish) => (m.version = '1.0'), /version: must be a semver version/],
		['version with a v prefix', (m: Manifestish) => (m.version = 'v1.0.0'), /version: must be a semver version/],
		['version a number', (m: Manifestish) => (m.version = 1), /version: /],
		['empty description', (m: Manifestish) => (m.description = '  '), /description: must be a non-empty string/],
		[
			'capabilities not an array',
			(m: Manifestish) => (m.capabilities = 'tech:neo4j'),
			/capabilities: .*expected array/
		],
		['capability not a string', (m: Manifestish) => (m.capabilities = [3]), /capabilities\[0\]: .*expected string/],
		['repeated capability', (m: Manifestish) => (m.capabilities = ['a', 'a']), /capabilities: must not repeat/],
		['constraints missing', (m: Manifestish) => delete m.constraints, /constraints: .*expected object/],
		[
			'load_order fractional',
			(m: Manifestish) => (m.constraints.load_order = 1.5),
			/constraints\.load_order: must be an integer/
		],
		[
			'load_order negative',
			(m: Manifestish) => (m.constraints.load_order = -1),
			/constraints\.load_order: must be >= 0/
		],
		[
			'load_order a string',
			(m: Manifestish) => (m.constraints.load_order = '6'),
			/constraints\.load_order: .*expected number/
		],
		[
			'requires not an array',
			(m: Manifestish) => (m.constraints.requires = 'english-basic'),
			/constraints\.requires: .*expected array/
		],
		[
			'requirement with bad semver',
			(m: Manifestish) => (m.constraints.requires = ['english-basic@>=one']),
			/constraints\.requires\[0\]: "english-basic@>=one": ">=one" is not a semver range/
		],
		[
			'requirement with empty range',
			(m: Manifestish) => (m.constraints.requires = ['english-basic@']),
			/"" is not a semver range/
		],
		[
			'requirement with bad name',
			(m: Manifestish) => (m.constraints.requires = ['English@1']),
			/"English" is not an expert name/
		],
		[
			'requirement on itself',
			(m: Manifestish) => (m.constraints.requires = ['neo4j-cypher@1']),
			/cannot require itself/
		],
		[
			'requirement repeated',
			(m: Manifestish) => (m.constraints.requires = ['a@1', 'a@2']),
			/constraints\.requires\[1\]: "a@2": a is required twice/
		],
		['routing missing', (m: Manifestish) => delete m.routing, /routing: /],
		[
			'empty keyword',
			(m: Manifestish) => (m.routing.keywords = ['']),
			/routing\.keywords\[0\]: must be a non-empty string/
		],
		['repeated keyword', (m: Manifestish) => (m.routing.keywords = ['x', 'x']), /routing\.keywords: must not repeat/],
		['priority above 1', (m: Manifestish) => (m.routing.priority = 1.5), /routing\.priority: must be between 0 and 1/],
		[
			'priority negative',
			(m: Manifestish) => (m.routing.priority = -0.1),
			/routing\.priority: must be between 0 and 1/
		],
		['priority a string', (m: Manifestish) => (m.routing.priority = 'high'), /routing\.priority: .*expected number/],
		[
			'base_model hidden size zero',
			(m: Manifestish) => (m.base_model = { name: 't', hidden_size: 0, num_hidden_layers: 2 }),
			/base_model\.hidden_size: /
		],
		[
			'base_model without layers',
			(m: Manifestish) => (m.base_model = { name: 't', hidden_size: 8 }),
			/base_model\.num_hidden_layers: /
		],
		['unknown top-level field', (m: Manifestish) => (m.weights = 'x'), /Unrecognized key: "weights"/],
		[
			'unknown constraints field',
			(m: Manifestish) => (m.constraints.conflicts = []),
			/constraints: Unrecognized key: "conflicts"/
		]
	])('rejects %s', (_label, edit, pattern) => {
		expect(manifestError(edit)).toMatch(pattern);
	});

	it('reports every bad field in the one line', () => {
		const message = manifestError((m) => {
			m.version = 'x';
			m.routing.priority = 7;
		});
		expect(message).toMatch(/version: .*; routing\.priority: /);
	});
});

describe('adapter_config.json and tensor names', () => {
	const config = {
		peft_type: 'LORA',
		r: 8,
		lora_alpha: 16,
		lora_dropout: 0.05,
		target_modules: ['q_proj', 'v_proj'],
		base_model_name_or_path: 'Qwen/Qwen2.5-0.5B',
		task_type: 'CAUSAL_LM',
		bias: 'none'
	};
	const configError = (edit: Record<string, unknown>) => () =>
		parseAdapterConfig(JSON.stringify({ ...config, ...edit }), 'a/adapter_config.json');

	it('parses a PEFT config, keeping fields it does not know', () => {
		const parsed = parseAdapterConfig(JSON.stringify({ ...config, use_rslora: false }), 'a');
		expect(parsed.r).toBe(8);
		expect(parsed.target_modules).toEqual(['q_proj', 'v_proj']);
		expect((parsed as Record<string, unknown>).use_rslora).toBe(false);
	});

	it('rejects bad configs with one line naming the field', () => {
		expect(configError({ peft_type: 'IA3' })).toThrow(/^a\/adapter_config\.json: peft_type: must be "LORA"$/);
		expect(configError({ r: 0 })).toThrow(/r: must be > 0/);
		expect(configError({ r: 2.5 })).toThrow(/r: must be an integer/);
		expect(configError({ lora_alpha: '16' })).toThrow(/lora_alpha: .*expected number/);
		expect(configError({ lora_dropout: 1 })).toThrow(/lora_dropout: must be in \[0, 1\)/);
		expect(configError({ target_modules: [] })).toThrow(/target_modules: must name at least one module/);
		expect(configError({ target_modules: ['qkv'] })).toThrow(/target_modules\[0\]: must be one of q_proj/);
		expect(configError({ target_modules: ['q_proj', 'q_proj'] })).toThrow(/must not repeat a module/);
		expect(configError({ fan_in_fan_out: true })).toThrow(/only fan_in_fan_out: false/);
		expect(() => parseAdapterConfig('{r: 8}', 'a.json')).toThrow(/^a\.json: malformed JSON/);
	});

	it('names tensors as PEFT does and parses them back', () => {
		expect(adapterTensorName(3, 'q_proj', 'A')).toBe('base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight');
		expect(adapterTensorName(0, 'down_proj', 'B')).toBe('base_model.model.model.layers.0.mlp.down_proj.lora_B.weight');
		for (const module of LORA_MODULES) {
			for (const part of ['A', 'B'] as const)
				expect(parseAdapterTensorName(adapterTensorName(12, module, part))).toEqual({ layer: 12, module, part });
		}
		expect(parseAdapterTensorName('base_model.model.model.layers.3.mlp.q_proj.lora_A.weight')).toBeNull(); // wrong block
		expect(parseAdapterTensorName('base_model.model.model.layers.03.self_attn.q_proj.lora_A.weight')).toBeNull();
		expect(parseAdapterTensorName('base_model.model.model.layers.3.self_attn.qkv_proj.lora_A.weight')).toBeNull();
		expect(parseAdapterTensorName('base_model.model.model.layers.3.self_attn.q_proj.lora_C.weight')).toBeNull();
		expect(parseAdapterTensorName('model.layers.3.self_attn.q_proj.weight')).toBeNull();
	});
});
