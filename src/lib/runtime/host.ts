// The one interface through which the runtime touches ONNX Runtime: Node (onnxruntime-node, CPU) and the
// browser (onnxruntime-web, WebGPU or WASM) implement it; everything above it is host-agnostic.
import type { InferenceSession, Tensor } from 'onnxruntime-common';

/** Rank bucket on WebGPU: switching among sets of similar size reuses compiled shaders (FINDINGS.md). */
export const WEBGPU_RANK_BUCKET = 16;

export interface RuntimeHost {
	/** Human-readable backend, e.g. "onnxruntime-node cpu" or "onnxruntime-web webgpu". */
	readonly description: string;
	/** Stacked LoRA ranks are padded to a multiple of this: large where new shapes are costly (WebGPU compiles
	 * shaders per shape), 1 where exact ranks are cheapest (CPU, WASM). */
	readonly rankBucket: number;
	/** Creates the base session; `deviceOutputs` are outputs (the KV cache) to keep in device memory when possible. */
	createSession(model: Uint8Array, deviceOutputs: string[]): Promise<InferenceSession>;
	float32(data: Float32Array, dims: readonly number[]): Tensor;
	int64(data: BigInt64Array, dims: readonly number[]): Tensor;
	/** A tensor reused across many runs (stacked LoRA weights): uploaded to device memory once on GPU hosts. */
	persistentFloat32(data: Float32Array, dims: readonly number[]): Promise<Tensor>;
	/** Bytes held in device memory by persistent tensors (0 on CPU hosts). */
	deviceBytes(): number;
}
