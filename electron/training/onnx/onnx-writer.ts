// A minimal ONNX protobuf writer: just the messages a small inference graph needs (ModelProto, GraphProto,
// NodeProto, AttributeProto, TensorProto with raw little-endian data, ValueInfoProto/TypeProto with symbolic
// dimensions, OperatorSetIdProto, StringStringEntryProto). Field numbers follow onnx.proto (IR version 8):
//   ModelProto      ir_version 1, producer_name 2, producer_version 3, domain 4, model_version 5, doc_string 6,
//                   graph 7, opset_import 8, metadata_props 14
//   OperatorSetId   domain 1, version 2
//   GraphProto      node 1, name 2, initializer 5, doc_string 10, input 11, output 12
//   NodeProto       input 1, output 2, name 3, op_type 4, attribute 5, doc_string 6, domain 7
//   AttributeProto  name 1, f 2, i 3, s 4, floats 7, ints 8, type 20 (FLOAT 1, INT 2, STRING 3, FLOATS 6, INTS 7)
//   TensorProto     dims 1, data_type 2 (FLOAT 1, INT64 7), name 8, raw_data 9, doc_string 12
//   ValueInfoProto  name 1, type 2, doc_string 3
//   TypeProto       tensor_type 1 → Tensor { elem_type 1, shape 2 → TensorShapeProto { dim 1 → { dim_value 1 | dim_param 2 } } }
//   StringStringEntryProto  key 1, value 2
// Fields are written in ascending field-number order within each message; the same model always gives the same bytes.

export const ONNX_IR_VERSION = 8;
export const ONNX_DEFAULT_OPSET = 17;

/** TensorProto.DataType values used here. */
export const TENSOR_FLOAT = 1;
export const TENSOR_INT64 = 7;

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

/** Growable byte buffer with the protobuf primitives. */
class ProtoBuffer {
  private bytes = new Uint8Array(256);
  private length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.bytes[this.length++] = b;
  }

  /** Base-128 varint of a non-negative or negative (two's complement, 10 bytes) 64-bit integer. */
  varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  raw(data: Uint8Array): void {
    this.ensure(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  int(field: number, value: number | bigint): void {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
  }

  float(field: number, value: number): void {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.raw(b);
  }

  bytesField(field: number, data: Uint8Array): void {
    this.tag(field, WIRE_LEN);
    this.varint(data.length);
    this.raw(data);
  }

  string(field: number, value: string): void {
    this.bytesField(field, new TextEncoder().encode(value));
  }

  message(field: number, write: (b: ProtoBuffer) => void): void {
    const inner = new ProtoBuffer();
    write(inner);
    this.bytesField(field, inner.finish());
  }

  /** Repeated int64 written unpacked (one tag per value), as onnx.proto (proto2, no [packed]) declares it. */
  repeatedInts(field: number, values: readonly number[]): void {
    for (const v of values) this.int(field, v);
  }

  repeatedFloats(field: number, values: readonly number[]): void {
    for (const v of values) this.float(field, v);
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

export type OnnxAttributeValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] };

export interface OnnxNode {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  domain?: string;
  docString?: string;
  attributes?: Readonly<Record<string, OnnxAttributeValue>>;
}

/** An initializer: float32 or int64 data, written as raw_data (little-endian). */
export type OnnxTensor =
  | { name: string; dataType: 'float32'; dims: readonly number[]; data: Float32Array; docString?: string }
  | { name: string; dataType: 'int64'; dims: readonly number[]; data: BigInt64Array; docString?: string };

/** A graph input or output: element type and shape, each dimension a fixed size or a symbolic name. */
export interface OnnxValueInfo {
  name: string;
  elemType: 'float32' | 'int64';
  shape: readonly (number | string)[];
  docString?: string;
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  docString?: string;
}

export interface OnnxModel {
  graph: OnnxGraph;
  /** Default-domain opset (default 17). */
  opsetVersion?: number;
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  domain?: string;
  modelVersion?: number;
  docString?: string;
  /** metadata_props, written in key order. */
  metadata?: Readonly<Record<string, string>>;
}

const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 } as const;

function elemTypeCode(t: 'float32' | 'int64'): number {
  return t === 'float32' ? TENSOR_FLOAT : TENSOR_INT64;
}

function elementCount(dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, 1);
}

function writeAttribute(b: ProtoBuffer, name: string, a: OnnxAttributeValue): void {
  b.string(1, name);
  switch (a.kind) {
    case 'float':
      b.float(2, a.value);
      break;
    case 'int':
      b.int(3, a.value);
      break;
    case 'string':
      b.bytesField(4, new TextEncoder().encode(a.value));
      break;
    case 'floats':
      b.repeatedFloats(7, a.value);
      break;
    case 'ints':
      b.repeatedInts(8, a.value);
      break;
  }
  b.int(20, ATTRIBUTE_TYPE[a.kind]);
}

function writeNode(b: ProtoBuffer, n: OnnxNode): void {
  for (const i of n.inputs) b.string(1, i);
  for (const o of n.outputs) b.string(2, o);
  if (n.name) b.string(3, n.name);
  b.string(4, n.opType);
  for (const key of Object.keys(n.attributes ?? {}).sort()) b.message(5, (a) => writeAttribute(a, key, n.attributes![key]!));
  if (n.docString) b.string(6, n.docString);
  if (n.domain) b.string(7, n.domain);
}

/** Little-endian bytes of a tensor's data. */
export function tensorRawData(t: OnnxTensor): Uint8Array {
  const out = new Uint8Array(t.data.length * (t.dataType === 'float32' ? 4 : 8));
  const dv = new DataView(out.buffer);
  if (t.dataType === 'float32') t.data.forEach((v, i) => dv.setFloat32(i * 4, v, true));
  else t.data.forEach((v, i) => dv.setBigInt64(i * 8, v, true));
  return out;
}

function writeTensor(b: ProtoBuffer, t: OnnxTensor): void {
  if (elementCount(t.dims) !== t.data.length)
    throw new RangeError(`tensor ${t.name}: dims ${t.dims.join('×')} need ${elementCount(t.dims)} values, got ${t.data.length}`);
  for (const d of t.dims) b.int(1, d);
  b.int(2, elemTypeCode(t.dataType));
  b.string(8, t.name);
  b.bytesField(9, tensorRawData(t));
  if (t.docString) b.string(12, t.docString);
}

function writeValueInfo(b: ProtoBuffer, v: OnnxValueInfo): void {
  b.string(1, v.name);
  b.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, elemTypeCode(v.elemType));
      tensor.message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => {
            if (typeof d === 'number') dim.int(1, d);
            else dim.string(2, d);
          });
        }
      });
    }),
  );
  if (v.docString) b.string(3, v.docString);
}

function writeGraph(b: ProtoBuffer, g: OnnxGraph): void {
  for (const n of g.nodes) b.message(1, (x) => writeNode(x, n));
  b.string(2, g.name);
  for (const t of g.initializers) b.message(5, (x) => writeTensor(x, t));
  if (g.docString) b.string(10, g.docString);
  for (const v of g.inputs) b.message(11, (x) => writeValueInfo(x, v));
  for (const v of g.outputs) b.message(12, (x) => writeValueInfo(x, v));
}

/** Serialises a model to the bytes of a `.onnx` file. */
export function encodeOnnxModel(m: OnnxModel): Uint8Array {
  const b = new ProtoBuffer();
  b.int(1, m.irVersion ?? ONNX_IR_VERSION);
  if (m.producerName) b.string(2, m.producerName);
  if (m.producerVersion) b.string(3, m.producerVersion);
  if (m.domain) b.string(4, m.domain);
  if (m.modelVersion !== undefined) b.int(5, m.modelVersion);
  if (m.docString) b.string(6, m.docString);
  b.message(7, (g) => writeGraph(g, m.graph));
  b.message(8, (o) => {
    o.string(1, '');
    o.int(2, m.opsetVersion ?? ONNX_DEFAULT_OPSET);
  });
  for (const key of Object.keys(m.metadata ?? {}).sort()) {
    b.message(14, (e) => {
      e.string(1, key);
      e.string(2, m.metadata![key]!);
    });
  }
  return b.finish();
}
