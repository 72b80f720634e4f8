// The web app's runtime choice: which WebGPU adapters Automatic uses, automatic backend/precision resolution and the localStorage round trip,
// with unknown or corrupt saved values falling back to the defaults. Runs in a few ms.
import { describe, expect, it } from 'vitest';
import {
	DEFAULT_RUNTIME_SETTINGS,
	loadRuntimeSettings,
	resolveRuntime,
	saveRuntimeSettings,
	webgpuRefusal
} from '../../src/lib/worker/runtime-settings.ts';

function memoryStorage(initial: Record<string, string> = {}) {
	const items = new Map(Object.entries(initial));
	return {
		getItem: (key: string) => items.get(key) ?? null,
		setItem: (key: string, value: string) => void items.set(key, value)
	};
}

describe('runtime settings', () => {
	it('picks WebGPU q4 when an adapter is usable, else WASM fp32; explicit choices win', () => {
		expect(resolveRuntime(DEFAULT_RUNTIME_SETTINGS, true)).toEqual({ backend: 'webgpu', precision: 'q4' });
		expect(resolveRuntime(DEFAULT_RUNTIME_SETTINGS, false)).toEqual({ backend: 'wasm', precision: 'fp32' });
		expect(resolveRuntime({ backend: 'wasm', precision: 'auto' }, true)).toEqual({
			backend: 'wasm',
			precision: 'fp32'
		});
		expect(resolveRuntime({ backend: 'auto', precision: 'fp16' }, true)).toEqual({
			backend: 'webgpu',
			precision: 'fp16'
		});
		expect(resolveRuntime({ backend: 'webgpu', precision: 'auto' }, false)).toEqual({
			backend: 'webgpu',
			precision: 'q4'
		});
	});

	it('lets Automatic use hardware WebGPU adapters only', () => {
		const adapter = {
			vendor: 'nvidia',
			architecture: 'ada',
			description: '',
			isFallbackAdapter: false,
			shaderF16: true,
			limits: {}
		};
		expect(webgpuRefusal(adapter)).toBeNull();
		expect(webgpuRefusal(null)).toBe('no WebGPU adapter');
		// Chromium's SwiftShader as FINDINGS.md reports it: vendor google, architecture swiftshader, isFallbackAdapter true.
		expect(
			webgpuRefusal({ ...adapter, vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true })
		).toMatch(/google swiftshader.* is a software fallback/);
		expect(
			webgpuRefusal({ ...adapter, vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })
		).toMatch(/software fallback/);
	});

	it('round-trips through storage and ignores unknown or corrupt values', () => {
		const storage = memoryStorage();
		expect(loadRuntimeSettings(storage)).toEqual(DEFAULT_RUNTIME_SETTINGS);
		saveRuntimeSettings({ backend: 'wasm', precision: 'q4' }, storage);
		expect(loadRuntimeSettings(storage)).toEqual({ backend: 'wasm', precision: 'q4' });
		expect(loadRuntimeSettings(memoryStorage({ 'expert.runtime': '{"backend":"cuda","precision":"q4"}' }))).toEqual({
			backend: 'auto',
			precision: 'q4'
		});
		expect(loadRuntimeSettings(memoryStorage({ 'expert.runtime': 'not json' }))).toEqual(DEFAULT_RUNTIME_SETTINGS);
		expect(loadRuntimeSettings(memoryStorage({ 'expert.runtime': 'null' }))).toEqual(DEFAULT_RUNTIME_SETTINGS);
	});
});
