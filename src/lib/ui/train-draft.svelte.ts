// The Train page's form (dataset made or picked, job settings) kept for the app's lifetime, so leaving the
// page and coming back keeps what the user entered; a reload starts from the defaults.
import { BASE_MODEL_NAME } from '../model/base-model-config.ts';
import type { DifficultyRequest } from '../datasets/formats.ts';

/** The domains the page can generate (the code domains need the CLI's tree-sitter parser). */
export const GENERATED_DOMAINS = [
	'json-parsing',
	'neo4j-cypher',
	'english-language',
	'document-classification'
] as const;
export type GeneratedDomain = (typeof GENERATED_DOMAINS)[number];

export const draft = $state({
	domain: 'json-parsing' as GeneratedDomain,
	count: 64,
	seed: 0,
	difficulty: 'mixed' as DifficultyRequest,
	datasetName: '',
	datasetText: '',
	name: 'my-expert',
	baseModel: BASE_MODEL_NAME,
	method: 'sft' as 'sft' | 'dpo',
	rank: 8,
	epochs: 3,
	maxSteps: null as number | null,
	learningRate: 0.0002,
	maxSeqLen: 512,
	/** Processes on the trainer's host (torchrun; one per GPU on CUDA). */
	processes: 1,
	capabilities: '',
	keywords: ''
});
