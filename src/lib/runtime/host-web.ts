// RuntimeHost for the browser (a Web Worker): onnxruntime-web on WebGPU when an adapter is available,
// else WASM. On WebGPU the KV cache stays in GPU buffers between steps and stacked LoRA tensors are
// uploaded once into GPU buffers.
import * as ort from 'onnxruntime-web';
import { WEBGPU_RANK_BUCKET, type RuntimeHost } from './host.ts';

export type WebBackend = 'webgpu' | 'wasm';

/** The few WebGPU calls used here (the project does not ship @webgpu/types). */
interface GpuBufferLike {
	destroy(): void;
}
interface GpuDeviceLike {
	createBuffer(descriptor: { size: number; usage: number }): GpuBufferLike;
	queue: {
		writeBuffer(buffer: GpuBufferLike, offset: number, data: ArrayBufferLike, dataOffset: number, size: number): void;
	};
}
/** GPUBufferUsage.STORAGE | COPY_SRC | COPY_DST (WebGPU spec constants 0x80, 0x04, 0x08). */
const STORAGE_COPY_USAGE = 0x80 | 0x04 | 0x08;

export interface WebHostOptions {
	/** Where onnxruntime-web's .wasm/.mjs files are served (ort.env.wasm.wasmPaths). */
	wasmPaths: string;
	/** Forced backend; default: webgpu when navigator.gpu yields an adapter, else wasm. */
	backend?: WebBackend;
}

/** WebGPU when the browser exposes an adapter, else WASM. */
export async function pickWebBackend(): Promise<WebBackend> {
	const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
	if (!gpu) return 'wasm';
	const adapter = await gpu.requestAdapter().catch(() => null);
	return adapter ? 'webgpu' : 'wasm';
}

export async function createWebHost(options: WebHostOptions): Promise<RuntimeHost & { backend: WebBackend }> {
	ort.env.wasm.wasmPaths = options.wasmPaths;
	ort.env.wasm.numThreads = 1;
	const backend = options.backend ?? (await pickWebBackend());
	let deviceBytes = 0;
	return {
		backend,
		description: `onnxruntime-web ${backend}`,
		rankBucket: backend === 'webgpu' ? WEBGPU_RANK_BUCKET : 1,
		createSession: (model, deviceOutputs) =>
			ort.InferenceSession.create(model, {
				executionProviders: [backend],
				graphOptimizationLevel: 'all',
				preferredOutputLocation:
					backend === 'webgpu'
						? Object.fromEntries(deviceOutputs.map((name) => [name, 'gpu-buffer' as const]))
						: undefined
			}),
		float32: (data, dims) => new ort.Tensor('float32', data, dims),
		int64: (data, dims) => new ort.Tensor('int64', data, dims),
		async persistentFloat32(data, dims) {
			if (backend !== 'webgpu') return new ort.Tensor('float32', data, dims);
			const device = (await ort.env.webgpu.device) as unknown as GpuDeviceLike;
			const size = Math.ceil(data.byteLength / 16) * 16;
			const buffer = device.createBuffer({ size, usage: STORAGE_COPY_USAGE });
			device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
			deviceBytes += size;
			return ort.Tensor.fromGpuBuffer(buffer as unknown as ort.Tensor.GpuBufferType, {
				dataType: 'float32',
				dims,
				dispose: () => {
					deviceBytes -= size;
					buffer.destroy();
				}
			});
		},
		deviceBytes: () => deviceBytes
	};
}
