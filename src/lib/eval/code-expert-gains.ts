// What a code expert adds on its own kind of file: perplexity of real Python / Rust sources with the expert's
// dependencies alone vs. with the expert on them, and the language the classifier names when the file name is
// withheld (a pasted snippet: the model decides) with the default set vs. the default set plus the expert. Browser-safe.
import type { ClassificationSession } from '../classify/classification-session.ts';
import { loadPlanIds } from '../classify/expert-selection.ts';
import { perplexity } from './perplexity.ts';

export interface CodeFile {
	path: string;
	content: string;
	language: string;
}

export interface CodeExpertGain {
	expert: string;
	language: string;
	files: number;
	/** Perplexity over each file's first PERPLEXITY_TOKENS tokens. */
	perplexity: { without: number; with: number; tokens: number };
	/** Share of files named `language` with the name withheld. */
	snippetAccuracy: { without: number; with: number };
	/** Files whose snippet answer changed: path, answer without, answer with. */
	changed: Array<{ path: string; without: string; with: string }>;
}

const PERPLEXITY_TOKENS = 256;

/** The expert's gain on `files` (all of `language`); `defaultIds` is the classifier's default set. */
export async function codeExpertGain(
	session: ClassificationSession,
	expert: string,
	language: string,
	files: CodeFile[],
	defaultIds: string[]
): Promise<CodeExpertGain> {
	const withExpert = loadPlanIds([expert], session.registry);
	const dependencies = withExpert.filter((id) => !id.startsWith(`${expert}@`));
	const texts = files.map((file) => file.content);
	await session.activate(dependencies);
	const before = await perplexity(session.runtime, session.tokenizer, texts, PERPLEXITY_TOKENS);
	await session.activate(withExpert);
	const after = await perplexity(session.runtime, session.tokenizer, texts, PERPLEXITY_TOKENS);
	const stacked = [...new Set([...defaultIds, ...withExpert])];
	let rightWithout = 0;
	let rightWith = 0;
	const changed: CodeExpertGain['changed'] = [];
	for (const file of files) {
		const snippet = { fileName: '', content: file.content };
		const without = (await session.classifyWith(snippet, defaultIds)).classification.language;
		const withIt = (await session.classifyWith(snippet, stacked)).classification.language;
		rightWithout += without === language ? 1 : 0;
		rightWith += withIt === language ? 1 : 0;
		if (without !== withIt) changed.push({ path: file.path, without, with: withIt });
	}
	return {
		expert,
		language,
		files: files.length,
		perplexity: { without: before.perplexity, with: after.perplexity, tokens: after.tokens },
		snippetAccuracy: { without: rightWithout / files.length, with: rightWith / files.length },
		changed
	};
}
