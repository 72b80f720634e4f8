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

function render(tokenizer: TextTokenizer, messages: ChatMessage[], addGenerationPrompt: boolean): number[] {
	let text: string;
	try {
		text = tokenizer.chatPrompt(messages, addGenerationPrompt);
	} catch (error) {
		throw new ExpertError('bad-base-model', `the base model's chat template failed: ${(error as Error).message.split('\n')[0]}`);
	}
	return text === '' ? [] : tokenizer.encode(text);
}

function startsWith(ids: number[], prefix: number[]): boolean {
	return prefix.length <= ids.length && prefix.every((id, index) => ids[index] === id);
}

function notIncremental(): never {
	throw new ExpertError('bad-base-model', 'the chat template does not render a conversation as a prefix of its continuation');
}

/** ids of the whole conversation, with loss_mask 1 on the tokens of each assistant turn (and its end marker). */
export function tokenizeConversation(tokenizer: TextTokenizer, messages: ChatMessage[]): TokenizedSftExample {
	const inputIds = render(tokenizer, messages, false);
	const lossMask = new Array<number>(inputIds.length).fill(0);
	messages.forEach((message, index) => {
		if (message.role !== 'assistant') return;
		const before = render(tokenizer, messages.slice(0, index), true);
		const through = render(tokenizer, messages.slice(0, index + 1), false);
		if (!startsWith(through, before) || !startsWith(inputIds, through)) notIncremental();
		lossMask.fill(1, before.length, through.length);
	});
	return { input_ids: inputIds, loss_mask: lossMask };
}

/** The prompt rendered up to the assistant's turn, and each response as the tokens that follow it. */
export function tokenizePreference(
	tokenizer: TextTokenizer,
	prompt: ChatMessage[],
	chosen: string,
	rejected: string
): TokenizedPreferenceExample {
	const promptIds = render(tokenizer, prompt, true);
	const responseIds = (content: string) => {
		const full = render(tokenizer, [...prompt, { role: 'assistant', content }], false);
		if (!startsWith(full, promptIds)) notIncremental();
		return full.slice(promptIds.length);
	};
	return { prompt_ids: promptIds, chosen_ids: responseIds(chosen), rejected_ids: responseIds(rejected) };
}

export function tokenizeRecords(tokenizer: TextTokenizer, dataset: TrainingRecords): TokenizedExample[] {
	if (dataset.method === 'dpo') {
		return dataset.records.map((record) => tokenizePreference(tokenizer, record.prompt, record.chosen, record.rejected));
	}
	return dataset.records.map((record) => tokenizeConversation(tokenizer, record.messages));
}
