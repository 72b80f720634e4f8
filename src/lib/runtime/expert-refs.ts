// Parses the CLI/API notation for an expert set, "name[:weight],…" (a name or a package folder path,
// with an optional stacking weight, default 1), into ordered references.
import { ExpertError } from '../errors.ts';

export interface ExpertRef {
	ref: string;
	weight: number;
}

export function parseExpertRefs(text: string | undefined): ExpertRef[] {
	if (!text || !text.trim()) return [];
	return text.split(',').map((item) => {
		const trimmed = item.trim();
		const colon = trimmed.lastIndexOf(':');
		const hasWeight = colon > 0 && /^-?\d*\.?\d+(e-?\d+)?$/i.test(trimmed.slice(colon + 1));
		const ref = hasWeight ? trimmed.slice(0, colon) : trimmed;
		const weight = hasWeight ? Number(trimmed.slice(colon + 1)) : 1;
		if (!ref) throw new ExpertError('bad-expert-ref', `expert list ${JSON.stringify(text)}: empty expert name`);
		if (!Number.isFinite(weight)) throw new ExpertError('bad-expert-ref', `expert ${ref}: weight must be a number`);
		return { ref, weight };
	});
}
