// RuntimeHost for Node: onnxruntime-node on the CPU execution provider (the CLI, tests and benchmarks), or
// on its bundled native WebGPU provider (Dawn) where the machine has a GPU adapter.
import ort from 'onnxruntime-node';
import { WEBGPU_RANK_BUCKET, type RuntimeHost } from './host.ts';

export interface NodeHostOptions {
	/** Intra-op threads; 0 lets ONNX Runtime choose. */
	threads?: number;
	/** Execution provider (default cpu). */
	backend?: NodeBackend;
}

export type NodeBackend = 'cpu' | 'webgpu';

export function createNodeHost(options: NodeHostOptions = {}): RuntimeHost {
	return {
		description: `onnxruntime-node ${options.backend ?? 'cpu'}`,
		rankBucket: options.backend === 'webgpu' ? WEBGPU_RANK_BUCKET : 1,
		createSession: (model) =>
			ort.InferenceSession.create(model, {
				executionProviders: [options.backend ?? 'cpu'],
				graphOptimizationLevel: 'all',
				intraOpNumThreads: options.threads ?? 0
			}),
		float32: (data, dims) => new ort.Tensor('float32', data, dims),
		int64: (data, dims) => new ort.Tensor('int64', data, dims),
		persistentFloat32: async (data, dims) => new ort.Tensor('float32', data, dims),
		deviceBytes: () => 0
	};
}
