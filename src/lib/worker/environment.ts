// What this browser offers the runtime: IndexedDB, a WebGPU adapter (vendor, f16, limits, hardware or
// software), the backend Automatic picks from it, cross-origin isolation for WASM threads, JS heap in use.
import type { EnvironmentReport } from './api.ts';
import { webgpuRefusal, type GpuReport } from './runtime-settings.ts';

const REPORTED_LIMITS = [
	'maxBufferSize',
	'maxStorageBufferBindingSize',
	'maxComputeWorkgroupStorageSize',
	'maxStorageBuffersPerShaderStage'
] as const;

interface GpuAdapterLike {
	info?: { vendor: string; architecture: string; description: string; isFallbackAdapter?: boolean };
	isFallbackAdapter?: boolean;
	features: { has(name: string): boolean };
	limits: Record<string, number>;
}

async function probeGpu(): Promise<GpuReport | null> {
	const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
	if (!gpu) return null;
	const adapter = await gpu.requestAdapter().catch(() => null);
	if (!adapter) return null;
	const limits: Record<string, number> = {};
	for (const name of REPORTED_LIMITS) limits[name] = Number(adapter.limits[name]);
	return {
		vendor: adapter.info?.vendor ?? '',
		architecture: adapter.info?.architecture ?? '',
		description: adapter.info?.description ?? '',
		isFallbackAdapter: adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
		shaderF16: adapter.features.has('shader-f16'),
		limits
	};
}

export async function probeEnvironment(): Promise<EnvironmentReport> {
	const gpu = await probeGpu();
	const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
	const refusal = webgpuRefusal(gpu);
	return {
		indexedDB: typeof indexedDB !== 'undefined',
		gpu,
		backend: refusal ? 'wasm' : 'webgpu',
		webgpuRefusal: refusal,
		crossOriginIsolated: globalThis.crossOriginIsolated === true,
		hardwareConcurrency: navigator.hardwareConcurrency ?? 1,
		heapBytes: memory?.usedJSHeapSize ?? null
	};
}
