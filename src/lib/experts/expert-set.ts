// A named expert set: the experts to stack with a weight each (dependencies included, load order), and, when
// `expert tune` made it, how: the search, the labelled data it was tuned on and the scores before and after,
// plus the routed experts measured to help. Stored as <experts dir>/sets/<name>.json (Node) or in IndexedDB
// (the app); selected with `--experts @name`. Browser-safe.
import { z } from 'zod';
import { ExpertError } from '../errors.ts';
import { EXPERT_NAME_PATTERN } from './manifest.ts';

/** One expert of a stack and its stacking weight (1 = as trained, 0 = off). */
export interface WeightedExpert {
	id: string;
	weight: number;
}

const score = z.strictObject({
	files: z.number().int().min(0),
	language: z.number().min(0).max(1),
	type: z.number().min(0).max(1)
});

const member = z.strictObject({
	name: z.string().regex(EXPERT_NAME_PATTERN),
	version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be semver like 1.0.0'),
	weight: z.number().min(0).max(4)
});

/** A routed expert `auto` adds when routing picks it, because adding it was measured to help on files routed to it. */
const routedMember = member.extend({ before: score, after: score });

export const expertSetSchema = z.strictObject({
	format: z.literal('expert-set/1'),
	name: z.string().max(64).regex(EXPERT_NAME_PATTERN, 'must be lower-case words joined by hyphens'),
	description: z.string().max(500).default(''),
	experts: z.array(member),
	routed: z.array(routedMember).default([]),
	tuning: z
		.strictObject({
			method: z.string(),
			seed: z.number().int(),
			evaluations: z.number().int().min(0),
			grid: z.array(z.number()),
			data: z.strictObject({
				source: z.string(),
				labels: z.string(),
				files: z.number().int().min(0),
				modelDecided: z.number().int().min(0)
			}),
			before: score,
			after: score,
			tunedAt: z.string()
		})
		.optional()
});

export type ExpertSet = z.infer<typeof expertSetSchema>;
export type SetScore = z.infer<typeof score>;

export function parseExpertSet(text: string, source: string): ExpertSet {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		throw new ExpertError('bad-expert-set', `${source}: not JSON (${(error as Error).message})`);
	}
	const result = expertSetSchema.safeParse(value);
	if (!result.success) {
		const issue = result.error.issues[0];
		throw new ExpertError('bad-expert-set', `${source}: ${issue.path.join('.') || 'set'}: ${issue.message}`);
	}
	return result.data;
}

/** The set's stack as `name@version` ids with weights, load order kept. */
export function weightedExperts(set: Pick<ExpertSet, 'experts'>): WeightedExpert[] {
	return set.experts.map((expert) => ({ id: `${expert.name}@${expert.version}`, weight: expert.weight }));
}

/** "name@version" for weight 1, "name@version:0.75" otherwise: how answers name their experts. */
export function describeWeighted(expert: WeightedExpert): string {
	return expert.weight === 1 ? expert.id : `${expert.id}:${expert.weight}`;
}
