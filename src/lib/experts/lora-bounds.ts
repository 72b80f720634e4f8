// How large a LoRA pair's weights may be before its output overflows half precision (WebGPU keeps activations in
// fp16): on a normalised input (RMS 1, so its length is √in) every coordinate of the delta (alpha/r)·B(Ax) is at most
// (alpha/r)·‖B‖·‖A‖·√in (Frobenius norms bound the spectral ones), which must stay under fp16's largest value.
// Finite weights such as 3e38 pass the NaN/∞ check yet overflow in the first matmul; this refuses them. Pure.

export const FP16_MAX = 65504;

/** The Frobenius norm, summed in double precision so that huge weights do not overflow the sum itself. */
function norm(values: Float32Array): number {
	let sum = 0;
	for (const value of values) sum += value * value;
	return Math.sqrt(sum);
}

/** A one-line problem when the pair's bound is over fp16's range (null when it is not). */
export function loraOverflowProblem(
	where: string,
	a: Float32Array,
	b: Float32Array,
	shape: { inFeatures: number; rank: number },
	alpha: number
): string | null {
	const [normA, normB] = [norm(a), norm(b)];
	const scale = Math.abs(alpha) / shape.rank;
	const bound = scale * normA * normB * Math.sqrt(shape.inFeatures);
	if (bound <= FP16_MAX) return null;
	const e = (x: number) => x.toPrecision(2);
	return `${where}: lora_B·lora_A can reach ${e(bound)} on a unit-RMS input ((alpha/r) ${e(scale)} · ‖A‖ ${e(normA)} · ‖B‖ ${e(normB)} · √in ${e(Math.sqrt(shape.inFeatures))}), over fp16's ${FP16_MAX}`;
}
