// A small helper for writing ONNX graphs by hand: adds nodes with unique output names, initializers
// and typed inputs/outputs, and assembles the model object that onnx-proto.ts encodes.
import {
	OnnxAttributeType,
	OnnxDataType,
	type OnnxAttribute,
	type OnnxDim,
	type OnnxModel,
	type OnnxNode,
	type OnnxTensor,
	type OnnxValueInfo
} from './onnx-proto.ts';

/** Attribute values: number → INT, number[] → INTS, string → STRING, {float} → FLOAT, {floats} → FLOATS. */
export type AttributeValue = number | number[] | string | { float: number } | { floats: number[] };

function toAttribute(name: string, value: AttributeValue): OnnxAttribute {
	if (typeof value === 'number') return { name, type: OnnxAttributeType.INT, i: value };
	if (typeof value === 'string') return { name, type: OnnxAttributeType.STRING, s: new TextEncoder().encode(value) };
	if (Array.isArray(value)) return { name, type: OnnxAttributeType.INTS, ints: value };
	if ('float' in value) return { name, type: OnnxAttributeType.FLOAT, f: value.float };
	return { name, type: OnnxAttributeType.FLOATS, floats: value.floats };
}

function bytesOf(array: Float32Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array): Uint8Array {
	return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

export class GraphBuilder {
	private readonly nodes: OnnxNode[] = [];
	private readonly initializers: OnnxTensor[] = [];
	private readonly inputs: OnnxValueInfo[] = [];
	private readonly outputs: OnnxValueInfo[] = [];
	private readonly usedNames = new Set<string>();
	private readonly int64Constants = new Map<string, string>();

	/** A fresh value name starting with `hint`. */
	name(hint: string): string {
		let candidate = hint;
		for (let n = 1; this.usedNames.has(candidate); n++) candidate = `${hint}_${n}`;
		this.usedNames.add(candidate);
		return candidate;
	}

	input(name: string, elemType: OnnxDataType, shape: OnnxDim[]): string {
		this.usedNames.add(name);
		this.inputs.push({ name, elemType, shape });
		return name;
	}

	/** Declares `value` as a graph output called `name` (through an Identity node when the names differ). */
	output(value: string, name: string, elemType: OnnxDataType, shape: OnnxDim[]): void {
		if (value !== name) {
			this.usedNames.add(name);
			this.nodes.push({ input: [value], output: [name], name: `output_${name}`, opType: 'Identity', attribute: [] });
		}
		this.outputs.push({ name, elemType, shape });
	}

	/** Adds one node and returns its single output's name. */
	op(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, domain = ''): string {
		return this.opMulti(opType, inputs, 1, attributes, domain)[0];
	}

	/** Adds one node with `outputCount` outputs and returns their names. */
	opMulti(
		opType: string,
		inputs: string[],
		outputCount: number,
		attributes: Record<string, AttributeValue> = {},
		domain = ''
	): string[] {
		const nodeName = this.name(`${opType.toLowerCase()}`);
		const outputs = Array.from({ length: outputCount }, (_, i) => this.name(`${nodeName}_out${i}`));
		this.nodes.push({
			input: inputs,
			output: outputs,
			name: nodeName,
			opType,
			domain,
			attribute: Object.entries(attributes).map(([key, value]) => toAttribute(key, value))
		});
		return outputs;
	}

	initializer(
		name: string,
		dataType: OnnxDataType,
		dims: number[],
		data: Float32Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array
	): string {
		const unique = this.name(name);
		this.initializers.push({ name: unique, dims, dataType, rawData: bytesOf(data) });
		return unique;
	}

	float(name: string, dims: number[], data: Float32Array): string {
		return this.initializer(name, OnnxDataType.FLOAT, dims, data);
	}

	/** A shared int64 constant (1-D, or a scalar when `scalar`), created once per distinct value. */
	int64(values: number[], scalar = false): string {
		const key = `${scalar ? 's' : 'v'}:${values.join(',')}`;
		const existing = this.int64Constants.get(key);
		if (existing) return existing;
		const name = this.initializer(
			`const_i64`,
			OnnxDataType.INT64,
			scalar ? [] : [values.length],
			BigInt64Array.from(values.map(BigInt))
		);
		this.int64Constants.set(key, name);
		return name;
	}

	/** A float scalar constant. */
	scalar(value: number): string {
		return this.float('const_f32', [], Float32Array.of(value));
	}

	build(graphName: string, opsetImports: Array<{ domain: string; version: number }>): OnnxModel {
		return {
			producerName: 'expert-graph-builder',
			opsetImports,
			graph: {
				name: graphName,
				node: this.nodes,
				initializer: this.initializers,
				input: this.inputs,
				output: this.outputs
			}
		};
	}
}
