// Which files of a repository its language breakdown leaves out, and why, as GitHub Linguist decides it:
// .gitignore'd files, then vendored, documentation and generated files (Linguist's path rules and content
// rules), each overridable either way by .gitattributes (linguist-vendored=false keeps a file in). Browser-safe.
import { generatedByContent } from './generated-files.ts';
import type { AttributeSources, GitRules, LinguistAttributes } from './git-rules.ts';
import type { LinguistPathRules } from './linguist-path-rules.ts';

export const EXCLUSION_KINDS = ['gitignored', 'vendored', 'documentation', 'generated'] as const;
export type ExclusionKind = (typeof EXCLUSION_KINDS)[number];

export interface Exclusion {
	kind: ExclusionKind;
	/** One line: what decided it ("vendor.yml (^|/)dist/", ".gitattributes:2 docs/** linguist-documentation"). */
	reason: string;
}

export interface RepositoryFileVerdict {
	exclusion: Exclusion | null;
	attributes: LinguistAttributes;
	sources: AttributeSources;
}

/** Decides one file; `text` is its head as read for classification (content rules need it), null when not text. */
export function repositoryVerdict(
	pathRules: LinguistPathRules,
	git: GitRules,
	path: string,
	text: string | null
): RepositoryFileVerdict {
	const { attributes, sources } = git.attributesOf(path);
	const verdict = (exclusion: Exclusion | null): RepositoryFileVerdict => ({ exclusion, attributes, sources });
	const ignoredBy = git.ignoredBy(path);
	if (ignoredBy) return verdict({ kind: 'gitignored', reason: `left out by ${ignoredBy}` });
	const byRules: Record<Exclude<ExclusionKind, 'gitignored'>, () => string | null> = {
		vendored: () => pathReason('vendor.yml', pathRules.vendored(path)),
		documentation: () => pathReason('documentation.yml', pathRules.documentation(path)),
		generated: () => pathReason('generated.rb', pathRules.generated(path)) ?? contentReason(path, text)
	};
	for (const kind of ['vendored', 'documentation', 'generated'] as const) {
		const attribute = attributes[kind];
		if (attribute === false) continue;
		if (attribute === true) return verdict({ kind, reason: sources[kind]! });
		const reason = byRules[kind]();
		if (reason) return verdict({ kind, reason });
	}
	return verdict(null);
}

function pathReason(file: string, match: { pattern: string } | null): string | null {
	return match ? `${file} ${match.pattern}` : null;
}

function contentReason(path: string, text: string | null): string | null {
	const rule = text === null ? null : generatedByContent(path, text);
	return rule ? `generated.rb ${rule}` : null;
}
