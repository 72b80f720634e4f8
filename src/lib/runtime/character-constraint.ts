// A token constraint from a character-level recognizer: a token is allowed when its whole text walks the
// recognizer from the current state (precomputed token texts of the vocabulary); accepting a token moves the state.
import type { TokenConstraint } from './generate.ts';

export interface CharacterRecognizer<S> {
	start: S;
	/** The state after `text`, or null when no accepted output continues that way. */
	walk(state: S, text: string): S | null;
	isComplete(state: S): boolean;
}

export function characterConstraint<S>(tokenTexts: string[], recognizer: CharacterRecognizer<S>, name: string): TokenConstraint {
	let state = recognizer.start;
	return {
		allowedTokens() {
			const mask = new Uint8Array(tokenTexts.length);
			for (let id = 0; id < tokenTexts.length; id++) {
				const text = tokenTexts[id];
				if (text.length > 0 && recognizer.walk(state, text)) mask[id] = 1;
			}
			return mask;
		},
		accept(tokenId) {
			const after = recognizer.walk(state, tokenTexts[tokenId] ?? '');
			if (!after) throw new Error(`${name}: token ${tokenId} is not allowed here`);
			state = after;
		},
		isComplete: () => recognizer.isComplete(state)
	};
}
