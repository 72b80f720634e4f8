// The user's runtime choice (Settings page, kept in localStorage): backend and weight precision, each
// "auto" by default. Auto means WebGPU with 4-bit weights (q4) when the worker's probe finds a hardware
// WebGPU adapter, else WebAssembly with fp32 weights; an explicit precision applies to either backend.
import type { WeightPrecision } from '../model/quantize.ts';
import type { WebBackend } from '../runtime/host-web.ts';

/** The WebGPU adapter as the environment probe reports it. */
export interface GpuReport {
	vendor: string;
	architecture: string;
	description: string;
	isFallbackAdapter: boolean;
	shaderF16: boolean;
	limits: Record<string, number>;
}

export type BackendChoice = 'auto' | WebBackend;
export type PrecisionChoice = 'auto' | WeightPrecision;

export interface RuntimeSettings {
	backend: BackendChoice;
	precision: PrecisionChoice;
}

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'wasm'];
export const PRECISION_CHOICES: readonly PrecisionChoice[] = ['auto', 'fp32', 'fp16', 'q4'];
export const DEFAULT_RUNTIME_SETTINGS: RuntimeSettings = { backend: 'auto', precision: 'auto' };
const STORAGE_KEY = 'expert.runtime';

/**
 * Why Automatic does not use this WebGPU adapter, or null when it does: a software adapter (SwiftShader,
 * or any the browser marks as a fallback) runs the model many times slower than WebAssembly.
 */
export function webgpuRefusal(gpu: GpuReport | null): string | null {
	if (!gpu) return 'no WebGPU adapter';
	const named = `${gpu.vendor} ${gpu.architecture} ${gpu.description}`;
	if (gpu.isFallbackAdapter || /swiftshader|llvmpipe|lavapipe|software/i.test(named))
		return `the WebGPU adapter (${named.trim() || 'unnamed'}) is a software fallback`;
	return null;
}

/** The backend and precision to load the base with, given whether a hardware WebGPU adapter is usable here. */
export function resolveRuntime(
	settings: RuntimeSettings,
	webgpuUsable: boolean
): { backend: WebBackend; precision: WeightPrecision } {
	const backend = settings.backend === 'auto' ? (webgpuUsable ? 'webgpu' : 'wasm') : settings.backend;
	return {
		backend,
		precision: settings.precision === 'auto' ? (backend === 'webgpu' ? 'q4' : 'fp32') : settings.precision
	};
}

/** The saved choice, or the defaults when nothing (or something unknown) is saved. */
export function loadRuntimeSettings(storage: Pick<Storage, 'getItem'> = localStorage): RuntimeSettings {
	let saved: Partial<RuntimeSettings>;
	try {
		saved = JSON.parse(storage.getItem(STORAGE_KEY) ?? '{}') ?? {};
	} catch {
		return DEFAULT_RUNTIME_SETTINGS;
	}
	return {
		backend: BACKEND_CHOICES.includes(saved.backend as BackendChoice) ? (saved.backend as BackendChoice) : 'auto',
		precision: PRECISION_CHOICES.includes(saved.precision as PrecisionChoice)
			? (saved.precision as PrecisionChoice)
			: 'auto'
	};
}

export function saveRuntimeSettings(settings: RuntimeSettings, storage: Pick<Storage, 'setItem'> = localStorage): void {
	storage.setItem(STORAGE_KEY, JSON.stringify(settings));
}
