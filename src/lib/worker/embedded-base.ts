// The embedded default base model shipped under static/models/<name>/ (and precached by the service
// worker): its config.json says which base experts installed here must fit; absent in builds without it.
import { BASE_MODEL_NAME } from '../model/base-model-config.ts';
import { parseModelConfig } from '../model/config.ts';
import type { BaseModelSummary } from './api.ts';

/** `modelsUrl` is the absolute URL of the app's models/ folder. Null when the build has no embedded model. */
export async function readEmbeddedBase(modelsUrl: string): Promise<BaseModelSummary | null> {
	const configUrl = new URL(`${BASE_MODEL_NAME}/config.json`, modelsUrl);
	const response = await fetch(configUrl).catch(() => null);
	if (!response?.ok) return null;
	const config = parseModelConfig(await response.text(), configUrl.pathname);
	return { name: BASE_MODEL_NAME, hidden_size: config.hiddenSize, num_hidden_layers: config.layers };
}
