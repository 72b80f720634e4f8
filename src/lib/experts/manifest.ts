// The expert manifest (manifest.json): the seed schema as a zod schema, and a parser that turns JSON
// text into a typed ExpertManifest or throws one line naming the file and every offending field.
import semver from 'semver';
import { z } from 'zod';
import { parseJsonText, parseWithSchema } from './json-source.ts';

/** Expert names: lower-case words joined by single hyphens ("neo4j-cypher"). */
export const EXPERT_NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Splits "name" or "name@range" into its parts; the range is "*" when absent. */
export function splitRequirement(requirement: string): { name: string; range: string } {
	const at = requirement.indexOf('@');
	if (at < 0) return { name: requirement, range: '*' };
	return { name: requirement.slice(0, at), range: requirement.slice(at + 1).trim() };
}

/** Why a "name@range" string is unusable, or null when it is fine. */
export function requirementProblem(requirement: string): string | null {
	const { name, range } = splitRequirement(requirement);
	if (!EXPERT_NAME_PATTERN.test(name))
		return `"${requirement}": "${name}" is not an expert name (lower-case words joined by hyphens)`;
	if (range === '' || semver.validRange(range) === null) return `"${requirement}": "${range}" is not a semver range`;
	return null;
}

const nonEmptyText = z.string().trim().min(1, 'must be a non-empty string');

const requirement = z.string().superRefine((value, ctx) => {
	const problem = requirementProblem(value);
	if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Output formats a manifest may declare; json and cypher are decoded under their grammars, text is free. */
export const OUTPUT_FORMATS = ['json', 'cypher', 'text'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const manifestSchema = z
	.strictObject({
		name: z.string().regex(EXPERT_NAME_PATTERN, 'must be lower-case words joined by hyphens (e.g. "json-parser")'),
		version: z.string().refine((v) => semver.valid(v) === v, 'must be a semver version like "1.2.0"'),
		description: nonEmptyText,
		capabilities: z
			.array(nonEmptyText)
			.refine((list) => new Set(list).size === list.length, 'must not repeat a capability'),
		constraints: z.strictObject({
			load_order: z.number().int('must be an integer').min(0, 'must be >= 0'),
			requires: z.array(requirement)
		}),
		routing: z.strictObject({
			keywords: z.array(nonEmptyText).refine((list) => new Set(list).size === list.length, 'must not repeat a keyword'),
			priority: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1')
		}),
		base_model: z
			.strictObject({
				name: nonEmptyText,
				hidden_size: z.number().int().positive(),
				num_hidden_layers: z.number().int().positive()
			})
			.optional(),
		/** Beyond the seed schema: what the expert generates, so `expert generate` constrains decoding to it without a flag. */
		output: z.strictObject({ format: z.enum(OUTPUT_FORMATS) }).optional()
	})
	.superRefine((manifest, ctx) => {
		const seen = new Set<string>();
		manifest.constraints.requires.forEach((entry, index) => {
			const { name } = splitRequirement(entry);
			const path = ['constraints', 'requires', index];
			if (name === manifest.name)
				ctx.addIssue({ code: 'custom', path, message: `"${entry}": an expert cannot require itself` });
			if (seen.has(name)) ctx.addIssue({ code: 'custom', path, message: `"${entry}": ${name} is required twice` });
			seen.add(name);
		});
	});

export type ExpertManifest = z.infer<typeof manifestSchema>;

/** Parses manifest.json text; throws ExpertError('bad-manifest') naming `source` and each bad field. */
export function parseManifest(jsonText: string, source: string): ExpertManifest {
	return parseWithSchema(manifestSchema, parseJsonText(jsonText, source, 'bad-manifest'), source, 'bad-manifest');
}
