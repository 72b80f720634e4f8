// Training records are tokenized as inference sees them: the prompt encoded whole, each reply as the tokens
// that follow it, and the loss mask exactly over the assistant turns — also for replies that start with
// whitespace, which would merge with the prompt's last token if the whole text were encoded at once.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../src/lib/runtime/tokenizer.ts';
import { tokenizeConversation, tokenizePreference } from '../../src/trainer/tokenize-records.ts';

const MODEL = path.resolve(import.meta.dirname, '../../static/models/expert-base-tiny');

describe('tokenizing training records', async () => {
	const tokenizer = await loadTokenizer(MODEL);
	const prompt = [{ role: 'user' as const, content: 'Indent this Python body.' }];

	it.each(['def f():\n    return 1', '\n    return 1', '    x = 2\n'])('masks exactly the reply %j', (reply) => {
		const { input_ids, loss_mask } = tokenizeConversation(tokenizer, [
			...prompt,
			{ role: 'assistant', content: reply }
		]);
		expect(loss_mask).toHaveLength(input_ids.length);
		const promptIds = tokenizer.encode(tokenizer.chatPrompt(prompt, true));
		expect(input_ids.slice(0, promptIds.length)).toEqual(promptIds);
		expect(loss_mask.slice(0, promptIds.length).every((bit) => bit === 0)).toBe(true);
		const maskedText = tokenizer.decode(input_ids.filter((_, index) => loss_mask[index] === 1));
		expect(maskedText.startsWith(reply)).toBe(true);
		expect(maskedText).toContain('<|im_end|>');
	});

	it('masks every assistant turn of a multi-turn chat and nothing else', () => {
		const messages = [
			...prompt,
			{ role: 'assistant' as const, content: 'first' },
			{ role: 'user' as const, content: 'again' },
			{ role: 'assistant' as const, content: ' second' }
		];
		const { input_ids, loss_mask } = tokenizeConversation(tokenizer, messages);
		const masked = tokenizer.decode(input_ids.filter((_, index) => loss_mask[index] === 1));
		expect(masked).toContain('first');
		expect(masked).toContain(' second');
		expect(masked).not.toContain('again');
	});

	it('continues the prompt ids with each response', () => {
		const example = tokenizePreference(tokenizer, prompt, '\n    return 1', 'pass');
		expect(example.prompt_ids).toEqual(tokenizer.encode(tokenizer.chatPrompt(prompt, true)));
		expect(tokenizer.decode(example.chosen_ids).startsWith('\n    return 1')).toBe(true);
		expect(tokenizer.decode(example.rejected_ids).startsWith('pass')).toBe(true);
	});
});
