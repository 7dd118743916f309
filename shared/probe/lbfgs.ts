// Limited-memory BFGS with a backtracking Armijo line search (Nocedal & Wright 2006, "Numerical
// Optimization", Alg. 7.4 two-loop recursion and Alg. 3.1). Deterministic: no randomness at all.

export const DEFAULT_LBFGS_MEMORY = 10;
export const DEFAULT_MAX_ITERATIONS = 1000;
/** Converged when the largest absolute gradient entry is at most this. */
export const DEFAULT_GRADIENT_TOLERANCE = 1e-8;
const ARMIJO_C1 = 1e-4;
const BACKTRACK = 0.5;
const MAX_BACKTRACKS = 60;
/** Curvature pairs with s·y at or below this (relative) are skipped to keep the Hessian estimate positive definite. */
const CURVATURE_EPS = 1e-12;

export interface LbfgsOptions {
  maxIterations?: number;
  gradientTolerance?: number;
  memory?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  /** ‖∇f‖∞ at x. */
  gradNorm: number;
  iterations: number;
  converged: boolean;
  /** Why it stopped: gradient below tolerance, iteration cap, or no decrease found along the direction. */
  reason: 'gradient' | 'max-iterations' | 'line-search';
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

export function minimizeLbfgs(fg: (x: Float64Array) => { f: number; g: Float64Array }, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const tol = options.gradientTolerance ?? DEFAULT_GRADIENT_TOLERANCE;
  const memory = options.memory ?? DEFAULT_LBFGS_MEMORY;
  let x: Float64Array = Float64Array.from(x0);
  let { f, g } = fg(x);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  let iterations = 0;
  const done = (reason: LbfgsResult['reason']): LbfgsResult => ({ x, f, gradNorm: maxAbs(g), iterations, converged: reason === 'gradient', reason });

  while (true) {
    if (maxAbs(g) <= tol) return done('gradient');
    if (iterations >= maxIterations) return done('max-iterations');
    // two-loop recursion: d = −H g
    const q = Float64Array.from(g);
    const alpha = new Array<number>(S.length);
    for (let i = S.length - 1; i >= 0; i--) {
      const a = (rho[i] as number) * dot(S[i] as Float64Array, q);
      alpha[i] = a;
      const y = Y[i] as Float64Array;
      for (let k = 0; k < q.length; k++) q[k] = (q[k] as number) - a * (y[k] as number);
    }
    if (S.length > 0) {
      const sLast = S[S.length - 1] as Float64Array;
      const yLast = Y[Y.length - 1] as Float64Array;
      const gamma = dot(sLast, yLast) / dot(yLast, yLast);
      for (let k = 0; k < q.length; k++) q[k] = (q[k] as number) * gamma;
    } else {
      // first step: scale so the initial trial step has unit length along −g
      const norm = Math.sqrt(dot(g, g));
      for (let k = 0; k < q.length; k++) q[k] = (q[k] as number) / Math.max(norm, 1);
    }
    for (let i = 0; i < S.length; i++) {
      const b = (rho[i] as number) * dot(Y[i] as Float64Array, q);
      const s = S[i] as Float64Array;
      for (let k = 0; k < q.length; k++) q[k] = (q[k] as number) + (s[k] as number) * ((alpha[i] as number) - b);
    }
    let d = q.map((v) => -v);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // not a descent direction (numerical trouble): restart from steepest descent
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      d = g.map((v) => -v);
      slope = dot(g, d);
    }
    let t = 1;
    let accepted: { x: Float64Array; f: number; g: Float64Array } | null = null;
    for (let b = 0; b < MAX_BACKTRACKS; b++) {
      const xt = x.map((v, k) => v + t * (d[k] as number));
      const r = fg(xt);
      if (Number.isFinite(r.f) && r.f <= f + ARMIJO_C1 * t * slope) {
        accepted = { x: xt, f: r.f, g: r.g };
        break;
      }
      t *= BACKTRACK;
    }
    if (!accepted) return done('line-search');
    const s = accepted.x.map((v, k) => v - (x[k] as number));
    const y = accepted.g.map((v, k) => v - (g[k] as number));
    const sy = dot(s, y);
    if (sy > CURVATURE_EPS * Math.sqrt(dot(s, s) * dot(y, y))) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    x = accepted.x;
    f = accepted.f;
    g = accepted.g;
    iterations++;
  }
}
