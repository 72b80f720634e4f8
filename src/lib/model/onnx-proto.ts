// The subset of the ONNX protobuf schema (onnx.proto, IR version 8) that the graph builder writes,
// declared through protobufjs reflection, and the encoder that turns a model object into bytes.
import protobuf from 'protobufjs';

export const OnnxDataType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10 } as const;
export type OnnxDataType = (typeof OnnxDataType)[keyof typeof OnnxDataType];

export const OnnxAttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;
export type OnnxAttributeType = (typeof OnnxAttributeType)[keyof typeof OnnxAttributeType];

export interface OnnxTensor {
	name: string;
	dims: number[];
	dataType: OnnxDataType;
	rawData: Uint8Array;
}

export interface OnnxAttribute {
	name: string;
	type: OnnxAttributeType;
	f?: number;
	i?: number;
	s?: Uint8Array;
	t?: OnnxTensor;
	floats?: number[];
	ints?: number[];
}

export interface OnnxNode {
	input: string[];
	output: string[];
	name: string;
	opType: string;
	domain?: string;
	attribute: OnnxAttribute[];
}

/** A dimension is a fixed size or a symbolic name (dynamic axis). */
export type OnnxDim = number | string;

export interface OnnxValueInfo {
	name: string;
	elemType: OnnxDataType;
	shape: OnnxDim[];
}

export interface OnnxModel {
	producerName: string;
	opsetImports: Array<{ domain: string; version: number }>;
	graph: {
		name: string;
		node: OnnxNode[];
		initializer: OnnxTensor[];
		input: OnnxValueInfo[];
		output: OnnxValueInfo[];
	};
}

const schema = protobuf.Root.fromJSON({
	nested: {
		onnx: {
			nested: {
				AttributeProto: {
					fields: {
						name: { type: 'string', id: 1 },
						f: { type: 'float', id: 2 },
						i: { type: 'int64', id: 3 },
						s: { type: 'bytes', id: 4 },
						t: { type: 'TensorProto', id: 5 },
						floats: { rule: 'repeated', type: 'float', id: 7 },
						ints: { rule: 'repeated', type: 'int64', id: 8 },
						type: { type: 'int32', id: 20 }
					}
				},
				ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
				NodeProto: {
					fields: {
						input: { rule: 'repeated', type: 'string', id: 1 },
						output: { rule: 'repeated', type: 'string', id: 2 },
						name: { type: 'string', id: 3 },
						opType: { type: 'string', id: 4 },
						attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
						domain: { type: 'string', id: 7 }
					}
				},
				ModelProto: {
					fields: {
						irVersion: { type: 'int64', id: 1 },
						producerName: { type: 'string', id: 2 },
						graph: { type: 'GraphProto', id: 7 },
						opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 }
					}
				},
				GraphProto: {
					fields: {
						node: { rule: 'repeated', type: 'NodeProto', id: 1 },
						name: { type: 'string', id: 2 },
						initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
						input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
						output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 }
					}
				},
				TensorProto: {
					fields: {
						dims: { rule: 'repeated', type: 'int64', id: 1 },
						dataType: { type: 'int32', id: 2 },
						name: { type: 'string', id: 8 },
						rawData: { type: 'bytes', id: 9 }
					}
				},
				TensorShapeProto: {
					fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } },
					nested: {
						Dimension: {
							oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
							fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } }
						}
					}
				},
				TypeProto: {
					fields: { tensorType: { type: 'Tensor', id: 1 } },
					nested: {
						Tensor: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } }
					}
				},
				OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } }
			}
		}
	}
});

const ModelProto = schema.lookupType('onnx.ModelProto');
const IR_VERSION = 8;

function valueInfo(info: OnnxValueInfo): object {
	return {
		name: info.name,
		type: {
			tensorType: {
				elemType: info.elemType,
				shape: { dim: info.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) }
			}
		}
	};
}

/** Serialises a model to the ONNX protobuf wire format. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
	const message = ModelProto.fromObject({
		irVersion: IR_VERSION,
		producerName: model.producerName,
		opsetImport: model.opsetImports,
		graph: {
			name: model.graph.name,
			node: model.graph.node,
			initializer: model.graph.initializer,
			input: model.graph.input.map(valueInfo),
			output: model.graph.output.map(valueInfo)
		}
	});
	return ModelProto.encode(message).finish();
}
