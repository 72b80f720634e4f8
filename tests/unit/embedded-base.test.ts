// Reading the embedded base model's shape over HTTP (a real loopback server): the summary experts are
// checked against, null when the build has no embedded model, a one-line error for a broken config.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEmbeddedBase } from '../../src/lib/worker/embedded-base.ts';
import { startStaticServer, type StaticServer } from '../../src/lib/bench/static-server.ts';

const CONFIG = {
	architectures: ['Qwen2ForCausalLM'],
	model_type: 'qwen2',
	hidden_size: 64,
	intermediate_size: 128,
	num_hidden_layers: 3,
	num_attention_heads: 4,
	num_key_value_heads: 2,
	rms_norm_eps: 1e-6,
	rope_theta: 10000,
	vocab_size: 300,
	max_position_embeddings: 256,
	tie_word_embeddings: true,
	eos_token_id: 2
};

describe('readEmbeddedBase', () => {
	let server: StaticServer;
	beforeAll(async () => {
		server = await startStaticServer(
			{
				'/good/expert-base-tiny/config.json': JSON.stringify(CONFIG),
				'/broken/expert-base-tiny/config.json': JSON.stringify({ ...CONFIG, hidden_size: -1 })
			},
			{}
		);
	});
	afterAll(async () => server?.close());

	it('summarises the embedded config, and gives null where the build has none', async () => {
		expect(await readEmbeddedBase(`${server.origin}/good/`)).toEqual({
			name: 'expert-base-tiny',
			hidden_size: 64,
			num_hidden_layers: 3
		});
		expect(await readEmbeddedBase(`${server.origin}/missing/`)).toBeNull();
		expect(await readEmbeddedBase('http://127.0.0.1:9/models/')).toBeNull();
	});

	it('reports a broken config in one line naming it', async () => {
		await expect(readEmbeddedBase(`${server.origin}/broken/`)).rejects.toThrow(
			/^\/broken\/expert-base-tiny\/config\.json: hidden_size/
		);
	});
});
