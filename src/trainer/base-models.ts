// Finds a base model folder (HF layout) by name in the trainer's model roots (its data dir's models/
// and the repo's embedded static/models/), and reads the config fields a package records about it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ExpertError } from '../lib/errors.ts';
import { resolveConfinedPath } from './data-dir.ts';

export interface BaseModelInfo {
	name: string;
	dir: string;
	hidden_size: number;
	num_hidden_layers: number;
	model_type: string;
}

function modelsIn(root: string): string[] {
	if (!existsSync(root)) return [];
	return readdirSync(root).filter((entry) => existsSync(path.join(root, entry, 'config.json')));
}

export function findBaseModel(name: string, roots: string[]): BaseModelInfo {
	if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
		throw new ExpertError('bad-base-model', `base_model: "${name}" is not a model name (letters, digits, . _ -)`);
	}
	const root = roots.find((candidate) => existsSync(path.join(candidate, name, 'config.json')));
	if (!root) {
		const known = roots.flatMap(modelsIn);
		throw new ExpertError(
			'bad-base-model',
			`base_model: no model "${name}" (available: ${known.length ? known.join(', ') : 'none'})`
		);
	}
	const dir = resolveConfinedPath(root, name, 'base_model');
	let config: Record<string, unknown>;
	try {
		config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
	} catch {
		throw new ExpertError('bad-base-model', `base_model: ${name}/config.json is not valid JSON`);
	}
	const { hidden_size, num_hidden_layers, model_type } = config;
	if (typeof hidden_size !== 'number' || typeof num_hidden_layers !== 'number' || typeof model_type !== 'string') {
		throw new ExpertError(
			'bad-base-model',
			`base_model: ${name}/config.json lacks hidden_size, num_hidden_layers or model_type`
		);
	}
	return { name, dir, hidden_size, num_hidden_layers, model_type };
}
