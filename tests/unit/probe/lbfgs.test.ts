import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minimizeLbfgs } from '../../../shared/probe/index.ts';

// f(x) = ½ Σ a_i x_i² − Σ b_i x_i, minimiser x_i = b_i / a_i
const A = [1, 10, 100, 0.5];
const B = [1, -2, 3, 4];
const quadratic = (x: Float64Array) => ({
  f: A.reduce((s, a, i) => s + 0.5 * a * (x[i] as number) ** 2 - (B[i] as number) * (x[i] as number), 0),
  g: Float64Array.from(A, (a, i) => a * (x[i] as number) - (B[i] as number)),
});

test('converges on an ill-conditioned quadratic to the known minimiser', () => {
  const r = minimizeLbfgs(quadratic, new Float64Array(4), { gradientTolerance: 1e-10 });
  assert.equal(r.converged, true);
  assert.equal(r.reason, 'gradient');
  assert.ok(r.gradNorm <= 1e-10);
  // the criterion is honest: recompute the gradient at the returned point
  const g = quadratic(r.x).g;
  assert.ok(Math.max(...Array.from(g, Math.abs)) <= 1e-10);
  A.forEach((a, i) => assert.ok(Math.abs((r.x[i] as number) - (B[i] as number) / a) < 1e-9));
});

test('reports non-convergence when the iteration cap is hit', () => {
  const r = minimizeLbfgs(quadratic, new Float64Array(4), { maxIterations: 1, gradientTolerance: 1e-12 });
  assert.equal(r.converged, false);
  assert.equal(r.reason, 'max-iterations');
  assert.equal(r.iterations, 1);
  assert.ok(r.gradNorm > 1e-12);
});

test('finds the Rosenbrock minimum (1, 1)', () => {
  const rosen = (x: Float64Array) => {
    const [a, b] = [x[0] as number, x[1] as number];
    return { f: (1 - a) ** 2 + 100 * (b - a * a) ** 2, g: Float64Array.from([-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)]) };
  };
  const r = minimizeLbfgs(rosen, Float64Array.from([-1.2, 1]), { gradientTolerance: 1e-9 });
  assert.equal(r.converged, true);
  assert.ok(Math.abs((r.x[0] as number) - 1) < 1e-6 && Math.abs((r.x[1] as number) - 1) < 1e-6);
});

test('a start at the optimum stops at once', () => {
  const r = minimizeLbfgs(
    quadratic,
    Float64Array.from(A, (a, i) => (B[i] as number) / a),
  );
  assert.equal(r.iterations, 0);
  assert.equal(r.converged, true);
});
