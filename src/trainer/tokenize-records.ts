// Tokenizes training records exactly as inference does (the runtime's tokenizer loader: the base model's
// chat template rendered to text, then encoded): SFT records become ids + a loss mask over assistant
// turns, DPO records become prompt / chosen / rejected id lists.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ChatMessage } from '../lib/datasets/formats.ts';
import { ExpertError } from '../lib/errors.ts';
import { loadTokenizer, type TextTokenizer } from '../lib/runtime/tokenizer.ts';
import type { TrainingRecords } from './training-records.ts';

export interface TokenizedSftExample {
	input_ids: number[];
	loss_mask: number[];
}

export interface TokenizedPreferenceExample {
	prompt_ids: number[];
	chosen_ids: number[];
	rejected_ids: number[];
}

export type TokenizedExample = TokenizedSftExample | TokenizedPreferenceExample;

/** Loads the tokenizer of an HF model folder (tokenizer.json + tokenizer_config.json with a chat_template). */
export async function loadChatTokenizer(modelDir: string): Promise<TextTokenizer> {
	for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
		if (!existsSync(path.join(modelDir, file))) throw new ExpertError('bad-base-model', `${modelDir}: no ${file}`);
	}
	return loadTokenizer(path.resolve(modelDir));
}

function renderText(tokenizer: TextTokenizer, messages: ChatMessage[], addGenerationPrompt: boolean): string {
	try {
		return tokenizer.chatPrompt(messages, addGenerationPrompt);
	} catch (error) {
		throw new ExpertError(
			'bad-base-model',
			`the base model's chat template failed: ${(error as Error).message.split('\n')[0]}`
		);
	}
}

function encodeText(tokenizer: TextTokenizer, text: string): number[] {
	return text === '' ? [] : tokenizer.encode(text);
}

function notIncremental(): never {
	throw new ExpertError(
		'bad-base-model',
		'the chat template does not render a conversation as a prefix of its continuation'
	);
}

/**
 * ids of the whole conversation, with loss_mask 1 on the tokens of each assistant turn (and its end marker).
 * The text is cut at each turn boundary and each piece encoded on its own, as inference sees it: the prompt
 * (ending in the generation prompt) is encoded whole and the reply follows as separate tokens, so a reply that
 * starts with a newline or spaces never merges with the prompt's last token.
 */
export function tokenizeConversation(tokenizer: TextTokenizer, messages: ChatMessage[]): TokenizedSftExample {
	const fullText = renderText(tokenizer, messages, false);
	const inputIds: number[] = [];
	const lossMask: number[] = [];
	let offset = 0;
	const append = (end: number, mask: 0 | 1) => {
		const ids = encodeText(tokenizer, fullText.slice(offset, end));
		inputIds.push(...ids);
		lossMask.push(...new Array<number>(ids.length).fill(mask));
		offset = end;
	};
	messages.forEach((message, index) => {
		if (message.role !== 'assistant') return;
		const before = renderText(tokenizer, messages.slice(0, index), true);
		const through = renderText(tokenizer, messages.slice(0, index + 1), false);
		if (!through.startsWith(before) || !fullText.startsWith(through) || before.length < offset) notIncremental();
		append(before.length, 0);
		append(through.length, 1);
	});
	append(fullText.length, 0);
	return { input_ids: inputIds, loss_mask: lossMask };
}

/** The prompt rendered up to the assistant's turn, and each response as the tokens that follow it. */
export function tokenizePreference(
	tokenizer: TextTokenizer,
	prompt: ChatMessage[],
	chosen: string,
	rejected: string
): TokenizedPreferenceExample {
	const promptText = renderText(tokenizer, prompt, true);
	const responseIds = (content: string) => {
		const fullText = renderText(tokenizer, [...prompt, { role: 'assistant', content }], false);
		if (!fullText.startsWith(promptText)) notIncremental();
		return encodeText(tokenizer, fullText.slice(promptText.length));
	};
	return {
		prompt_ids: encodeText(tokenizer, promptText),
		chosen_ids: responseIds(chosen),
		rejected_ids: responseIds(rejected)
	};
}

/** Records tokenized between two yields to the event loop, so a large upload never stalls the server's other requests. */
const RECORDS_PER_SLICE = 200;

export async function tokenizeRecords(tokenizer: TextTokenizer, dataset: TrainingRecords): Promise<TokenizedExample[]> {
	const examples: TokenizedExample[] = [];
	for (let start = 0; start < dataset.records.length; start += RECORDS_PER_SLICE) {
		if (start > 0) await new Promise((resolve) => setImmediate(resolve));
		for (const record of dataset.records.slice(start, start + RECORDS_PER_SLICE)) {
			examples.push(
				'messages' in record
					? tokenizeConversation(tokenizer, record.messages)
					: tokenizePreference(tokenizer, record.prompt, record.chosen, record.rejected)
			);
		}
	}
	return examples;
}
