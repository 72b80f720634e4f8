// Whether a constrained output parses as what its constraint promised: JSON.parse for JSON and JSON Schema,
// Neo4j's ANTLR grammar for Cypher (a check independent of the grammar that produced it). Imported statically:
// a lazy chunk would not be there offline (SvelteKit's service-worker file list leaves worker chunks out).
import type { ConstraintName } from '../constrain/output-constraint.ts';
import { cypherSyntaxErrors } from '../datasets/cypher-syntax.ts';
import { jsonSyntaxReason } from '../json-error.ts';

export function outputParses(text: string, constraint: ConstraintName): { ok: boolean; detail: string } | null {
	if (constraint === 'none') return null;
	if (constraint === 'cypher') {
		const errors = text.trim() === '' ? ['empty output'] : cypherSyntaxErrors(text);
		return errors.length === 0
			? { ok: true, detail: "parses with Neo4j's Cypher grammar" }
			: { ok: false, detail: errors[0] };
	}
	try {
		JSON.parse(text);
		return { ok: true, detail: 'parses as JSON' };
	} catch (error) {
		return { ok: false, detail: jsonSyntaxReason(error) };
	}
}
