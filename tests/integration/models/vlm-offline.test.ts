// Proves the VLM path never touches the network: the load + score runs in a child process whose
// preload blocks and records every non-loopback connection attempt. A control child shows the guard
// does see attempts (so a zero count means something).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MODEL_FIXTURES } from './image-set-fixture.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const GUARD = new URL('./network-guard.mjs', import.meta.url).pathname;
const CHILD = new URL('./offline-vlm-child.ts', import.meta.url).pathname;

function runGuarded(
  mode: string,
  fixture = 'tiny-llava',
): { status: number | null; stdout: string; stderr: string; attempts: Array<{ api: string; target: string }> } {
  const dir = mkdtempSync(join(tmpdir(), 'medbridge-guard-'));
  const log = join(dir, 'attempts.jsonl');
  try {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', GUARD, CHILD, mode, join(MODEL_FIXTURES, fixture)], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, MEDBRIDGE_NETWORK_GUARD_LOG: log, HF_HUB_OFFLINE: '' },
      timeout: 120_000,
    });
    const attempts = existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { api: string; target: string })
      : [];
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, attempts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('control: the guard records and blocks outbound attempts (fetch, hub download)', () => {
  const r = runGuarded('control');
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.attempts.length >= 2, JSON.stringify(r.attempts));
  assert.ok(r.attempts.some((a) => a.target.includes('example.org')));
  assert.ok(
    r.attempts.some((a) => a.target.includes('huggingface')),
    'transformers.js reaches for the hub when allowed',
  );
});

for (const fixture of ['tiny-llava', 'tiny-qwen2-vl', 'tiny-qwen2_5-vl']) {
  test(`loading and scoring ${fixture} makes zero network attempts`, () => {
    const r = runGuarded('score', fixture);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.attempts, []);
    const { probs } = JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as { probs: number[] };
    assert.equal(probs.length, 4);
    assert.ok(Math.abs(probs.reduce((s, p) => s + p, 0) - 1) < 1e-9);
  });
}
