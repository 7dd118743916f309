// The float storage every training routine is generic over: Float32Array in production,
// Float64Array in the gradient-check path of the tests (same code, higher precision).

export type FloatArray = Float32Array | Float64Array;

/** Which of the two storages a buffer uses; recorded in serialised checkpoints. */
export type FloatDType = 'float32' | 'float64';

export function dtypeOf(a: FloatArray): FloatDType {
  return a instanceof Float64Array ? 'float64' : 'float32';
}

/** A zero-filled array of the same storage type as `like`. */
export function zerosLike<A extends FloatArray>(like: A, length: number = like.length): A {
  return (like instanceof Float64Array ? new Float64Array(length) : new Float32Array(length)) as A;
}

/** A copy of `a` with the same storage type. */
export function copyOf<A extends FloatArray>(a: A): A {
  return a.slice() as A;
}

export function allocate(dtype: FloatDType, length: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}
