// The answer rule in both languages on the shared vectors (tests/fixtures/answer-rule/vectors.json): TypeScript
// (shared/answer-rule.ts) here, Python (resources/python/medbridge_engines/answer_rule.py) through python3 (standard
// library only), and the two agree on every vector.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { answerLetter } from '../../../shared/answer-rule.ts';
import { REPO_ROOT } from '../../helpers/cli.ts';

interface Vector {
  response: string | null;
  options: string[];
  expected: string | null;
}
const { vectors } = JSON.parse(readFileSync(join(REPO_ROOT, 'tests/fixtures/answer-rule/vectors.json'), 'utf8')) as { vectors: Vector[] };

test(`the shared vectors: at least 40, covering the article, the pronoun, lower case, option text, two letters, empty`, () => {
  assert.ok(vectors.length >= 40, `${vectors.length} vectors`);
  const has = (f: (v: Vector) => boolean) => assert.ok(vectors.some(f));
  has((v) => /\ba\b/.test(v.response ?? '') && v.expected !== 'A');
  has((v) => /\bI\b/.test(v.response ?? '') && v.expected !== 'I');
  has((v) => v.response === 'b');
  has((v) => v.options.some((o) => (v.response ?? '').toLowerCase().includes(o)) && !/\b[A-Z]\b/.test(v.response ?? ''));
  has((v) => v.response === 'A or B' && v.expected === null);
  has((v) => v.response === '');
});

test('TypeScript: every vector', () => {
  for (const v of vectors) assert.equal(answerLetter(v.response, v.options), v.expected, JSON.stringify(v));
});

test('Python twin: every vector, the same letters as TypeScript', () => {
  const script =
    'import json, sys; from medbridge_engines.answer_rule import answer_letter; vs = json.load(sys.stdin)["vectors"]; print(json.dumps([answer_letter(v["response"], v["options"]) for v in vs]))';
  const r = spawnSync('python3', ['-c', script], {
    input: readFileSync(join(REPO_ROOT, 'tests/fixtures/answer-rule/vectors.json')),
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: join(REPO_ROOT, 'resources/python') },
  });
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout) as Array<string | null>;
  vectors.forEach((v, i) => assert.equal(got[i], v.expected, `python: ${JSON.stringify(v)}`));
});
