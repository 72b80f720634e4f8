// One base model plus the experts it may stack, classifying documents one after another: resolves the
// selected experts, activates that set (stacked tensors cached per set by the runtime), and asks the
// document classifier (Linguist's evidence first, then the model: the language-id expert's head when the stack holds
// it, else the stack's likelihoods). Adapters and heads come through loaders so Node (disk) and the browser (IndexedDB) share it.
import type { ExpertManifest } from '../experts/manifest.ts';
import type { LoadedAdapter } from '../runtime/adapter-weights.ts';
import { describeWeighted, type ExpertSet } from '../experts/expert-set.ts';
import { ExpertStack, weighted, type StackEntry } from '../runtime/expert-stack.ts';
import { loadOnce } from '../runtime/load-once.ts';
import {
	classifyDocument,
	type DocumentAnswer,
	type DocumentInput,
	type LanguageRanker
} from './document-classifier.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { TextTokenizer } from '../runtime/tokenizer.ts';
import { expertsForSelection, LANGUAGE_ID_EXPERT, type ExpertSelection } from './expert-selection.ts';
import type { LanguageHead } from './language-head.ts';
import { headCanRank, rankWithHead } from './language-ranking.ts';
import type { LinguistHeuristics } from './linguist-heuristics.ts';

export interface ClassifiedDocument extends DocumentAnswer {
	/** Active experts (`name@version`, `:weight` when not 1), load-plan order. */
	experts: string[];
	milliseconds: number;
}

export class ClassificationSession extends ExpertStack {
	constructor(
		runtime: ModelRuntime,
		readonly tokenizer: TextTokenizer,
		registry: ExpertManifest[],
		loadAdapter: (id: string) => Promise<LoadedAdapter>,
		readonly heuristics: LinguistHeuristics,
		/** Named expert sets (`@name`), by name. */
		readonly sets: ReadonlyMap<string, ExpertSet> = new Map(),
		/** Reads the language head of a package (`name@version`) that carries one. */
		loadLanguageHead?: (id: string) => Promise<LanguageHead>
	) {
		super(runtime, registry, loadAdapter);
		this.head = loadLanguageHead ? loadOnce(loadLanguageHead) : null;
	}

	private readonly head: ((id: string) => Promise<LanguageHead>) | null;

	/** The head's ranking: features from the base with the head's package active (it adds no LoRA), one forward pass. */
	private rankerFor(headId: string): LanguageRanker {
		return async (file, candidates) => {
			const head = await this.head!(headId);
			if (!headCanRank(head, candidates)) return null;
			await this.activate([headId]);
			return rankWithHead(this.runtime, this.tokenizer, head, file, candidates);
		};
	}

	/** The stack a selection picks for a file (routing in `auto` looks at the file). */
	stackFor(selection: ExpertSelection, file?: DocumentInput): StackEntry[] {
		return expertsForSelection(selection, this.registry, this.sets, file);
	}

	/** Loads and activates the experts `selection` picks, so a package that cannot load fails before any file does. */
	prepare(selection: ExpertSelection): Promise<void> {
		return this.activate(this.stackFor(selection));
	}

	/** Classifies with the experts `selection` picks (dependencies included). */
	classify(file: DocumentInput, selection: ExpertSelection): Promise<ClassifiedDocument> {
		return this.classifyWith(file, this.stackFor(selection, file));
	}

	/** Classifies with exactly the experts `stack`, nothing added. */
	async classifyWith(file: DocumentInput, stack: readonly StackEntry[]): Promise<ClassifiedDocument> {
		const started = performance.now();
		const active = stack.map(weighted).filter((expert) => expert.weight !== 0);
		const headId = this.head ? active.find((expert) => expert.id.startsWith(`${LANGUAGE_ID_EXPERT}@`))?.id : undefined;
		const others = active.filter((expert) => expert.id !== headId);
		await this.activate(others);
		const answer = await classifyDocument(
			this.runtime,
			this.tokenizer,
			this.heuristics,
			file,
			headId ? this.rankerFor(headId) : undefined
		);
		const experts = answer.languageRanking && headId ? [headId] : others.map(describeWeighted);
		return { ...answer, experts, milliseconds: performance.now() - started };
	}
}
