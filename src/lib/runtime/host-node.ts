// RuntimeHost for Node: onnxruntime-node on the CPU execution provider (the CLI, tests and benchmarks).
import ort from 'onnxruntime-node';
import type { RuntimeHost } from './host.ts';

export interface NodeHostOptions {
	/** Intra-op threads; 0 lets ONNX Runtime choose. */
	threads?: number;
}

export function createNodeHost(options: NodeHostOptions = {}): RuntimeHost {
	return {
		description: 'onnxruntime-node cpu',
		createSession: (model) =>
			ort.InferenceSession.create(model, {
				executionProviders: ['cpu'],
				graphOptimizationLevel: 'all',
				intraOpNumThreads: options.threads ?? 0
			}),
		float32: (data, dims) => new ort.Tensor('float32', data, dims),
		int64: (data, dims) => new ort.Tensor('int64', data, dims),
		persistentFloat32: async (data, dims) => new ort.Tensor('float32', data, dims),
		deviceBytes: () => 0
	};
}
