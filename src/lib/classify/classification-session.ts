// One base model plus the experts it may stack, classifying documents one after another: resolves the
// selected experts, activates that set (stacked tensors cached per set by the runtime), and asks the
// document classifier (Linguist's evidence first, then the model). Adapters come through a loader so Node (disk) and the browser (IndexedDB) share it.
import type { ExpertManifest } from '../experts/manifest.ts';
import type { LoadedAdapter } from '../runtime/adapter-weights.ts';
import { describeWeighted, type ExpertSet } from '../experts/expert-set.ts';
import { ExpertStack, weighted, type StackEntry } from '../runtime/expert-stack.ts';
import { classifyDocument, type DocumentAnswer, type DocumentInput } from './document-classifier.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { TextTokenizer } from '../runtime/tokenizer.ts';
import { expertsForSelection, type ExpertSelection } from './expert-selection.ts';
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
		readonly sets: ReadonlyMap<string, ExpertSet> = new Map()
	) {
		super(runtime, registry, loadAdapter);
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
		await this.activate(stack);
		const answer = await classifyDocument(this.runtime, this.tokenizer, this.heuristics, file);
		return { ...answer, experts: stack.map(weighted).filter((expert) => expert.weight !== 0).map(describeWeighted), milliseconds: performance.now() - started };
	}
}
