// One base model plus the experts it may stack, classifying documents one after another: resolves the
// selected experts, activates that set (stacked tensors cached per set by the runtime), and asks the
// document classifier (Linguist's evidence first, then the model). Adapters come through a loader so Node (disk) and the browser (IndexedDB) share it.
import type { ExpertManifest } from '../experts/manifest.ts';
import type { LoadedAdapter } from '../runtime/adapter-weights.ts';
import { ExpertStack } from '../runtime/expert-stack.ts';
import { classifyDocument, type DocumentAnswer, type DocumentInput } from './document-classifier.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { TextTokenizer } from '../runtime/tokenizer.ts';
import { expertsForSelection, type ExpertSelection } from './expert-selection.ts';
import type { LinguistHeuristics } from './linguist-heuristics.ts';

export interface ClassifiedDocument extends DocumentAnswer {
	/** Active experts (`name@version`), load-plan order. */
	experts: string[];
	milliseconds: number;
}

export class ClassificationSession extends ExpertStack {
	constructor(
		runtime: ModelRuntime,
		readonly tokenizer: TextTokenizer,
		registry: ExpertManifest[],
		loadAdapter: (id: string) => Promise<LoadedAdapter>,
		readonly heuristics: LinguistHeuristics
	) {
		super(runtime, registry, loadAdapter);
	}

	/** Loads and activates the experts `selection` picks, so a package that cannot load fails before any file does. */
	prepare(selection: ExpertSelection): Promise<void> {
		return this.activate(expertsForSelection(selection, this.registry));
	}

	/** Classifies with the experts `selection` picks (dependencies included). */
	classify(file: DocumentInput, selection: ExpertSelection): Promise<ClassifiedDocument> {
		return this.classifyWith(file, expertsForSelection(selection, this.registry));
	}

	/** Classifies with exactly the experts `ids`, nothing added. */
	async classifyWith(file: DocumentInput, ids: string[]): Promise<ClassifiedDocument> {
		const started = performance.now();
		await this.activate(ids);
		const answer = await classifyDocument(this.runtime, this.tokenizer, this.heuristics, file);
		return { ...answer, experts: ids, milliseconds: performance.now() - started };
	}
}
