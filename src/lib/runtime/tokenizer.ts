// The model's tokenizer and chat template through @huggingface/transformers, built from the contents of
// tokenizer.json and tokenizer_config.json that the caller read (disk or the page's origin): no hub access.
import * as transformers from '@huggingface/transformers';
import { ExpertError } from '../errors.ts';

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant';
	content: string;
}

export interface TextTokenizer {
	encode(text: string): number[];
	decode(ids: number[]): string;
	/** The prompt text of a conversation, ending with the assistant turn's opening when `addGenerationPrompt`. */
	chatPrompt(messages: ChatMessage[], addGenerationPrompt?: boolean): string;
	/** Decoded text of every token id the tokenizer knows (index = id; '' for special tokens), for constraint masks. */
	tokenTexts(): string[];
}

export interface TokenizerFileContents {
	tokenizerJson: string;
	tokenizerConfigJson: string;
}

function parseObject(text: string, file: string): Record<string, unknown> {
	try {
		const value = JSON.parse(text);
		if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
	} catch {
		// reported below
	}
	throw new ExpertError('bad-tokenizer', `${file}: is not a JSON object`);
}

/** Builds the tokenizer class named by tokenizer_config.json (as AutoTokenizer does); `source` names the folder. */
export function createTokenizer(files: TokenizerFileContents, source: string): TextTokenizer {
	const tokenizerJson = parseObject(files.tokenizerJson, `${source}/tokenizer.json`);
	const tokenizerConfig = parseObject(files.tokenizerConfigJson, `${source}/tokenizer_config.json`);
	const className = String(tokenizerConfig.tokenizer_class ?? 'PreTrainedTokenizer').replace(/Fast$/, '');
	const exported = (transformers as unknown as Record<string, unknown>)[className];
	const TokenizerClass = (
		typeof exported === 'function' && className.endsWith('Tokenizer') ? exported : transformers.PreTrainedTokenizer
	) as typeof transformers.PreTrainedTokenizer;
	let tokenizer: transformers.PreTrainedTokenizer;
	try {
		tokenizer = new TokenizerClass(tokenizerJson, tokenizerConfig);
	} catch (error) {
		throw new ExpertError(
			'bad-tokenizer',
			`${source}/tokenizer.json: cannot build the tokenizer (${String((error as Error).message ?? error).split('\n')[0]})`
		);
	}
	let texts: string[] | null = null;
	return {
		encode: (text) => tokenizer.encode(text, { add_special_tokens: false }),
		decode: (ids) => tokenizer.decode(ids, { skip_special_tokens: false }),
		chatPrompt: (messages, addGenerationPrompt = true) =>
			tokenizer.apply_chat_template(messages, {
				tokenize: false,
				add_generation_prompt: addGenerationPrompt
			}) as string,
		tokenTexts: () => {
			if (!texts) {
				const size = Math.max(...tokenizer.get_vocab().values()) + 1;
				const special = new Set(tokenizer.all_special_ids);
				texts = Array.from({ length: size }, (_, id) =>
					special.has(id) ? '' : tokenizer.decode([id], { skip_special_tokens: false })
				);
			}
			return texts;
		}
	};
}

/** Node: builds the tokenizer of a local model folder. node:fs is imported lazily through a variable so
 * browser bundles never include it (the browser passes fetched contents to createTokenizer instead). */
export async function loadTokenizer(dir: string): Promise<TextTokenizer> {
	const fsModule = 'node:fs/promises';
	const { readFile } = (await import(/* @vite-ignore */ fsModule)) as typeof import('node:fs/promises');
	const read = (name: string) =>
		readFile(`${dir.replace(/[\\/]+$/, '')}/${name}`, 'utf8').catch(() => {
			throw new ExpertError('missing-tokenizer', `${dir}: no readable ${name}`);
		});
	return createTokenizer(
		{ tokenizerJson: await read('tokenizer.json'), tokenizerConfigJson: await read('tokenizer_config.json') },
		dir
	);
}
