// The shared folder walk: links inside the root followed, outside refused, a folder linked twice read once, broken
// links and FIFOs refused without being opened; and the item text caps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { walkFolder, isInsideRoot } from '../../../electron/formats/folder-walk.ts';
import { itemEvent, MAX_OPTION_CHARS, MAX_QUESTION_CHARS } from '../../../electron/formats/item-builder.ts';
import { tempDir } from '../../helpers/cli.ts';
import type { ItemDraft } from '../../../shared/items.ts';

async function walk(dir: string, within?: string) {
  const out: string[] = [];
  for await (const e of walkFolder(dir, { skipHidden: true, ...(within ? { within } : {}) }))
    out.push(e.type === 'file' ? `file ${e.rel}` : `${e.code} ${e.rel}`);
  return out;
}

test('folder walk: inside links followed, outside/broken/repeated links and FIFOs refused', async (t) => {
  const { dir, cleanup } = tempDir('walk');
  t.after(cleanup);
  const root = join(dir, 'root');
  mkdirSync(join(root, 'a', 'deep'), { recursive: true });
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(root, 'a', 'x.png'), 'x');
  writeFileSync(join(root, 'a', 'deep', 'y.png'), 'y');
  writeFileSync(join(dir, 'outside', 'secret.png'), 's');
  writeFileSync(join(root, '.hidden'), 'h');
  symlinkSync(join(root, 'a', 'x.png'), join(root, 'link-in.png'));
  symlinkSync(join(dir, 'outside', 'secret.png'), join(root, 'link-out.png'));
  symlinkSync(join(dir, 'outside'), join(root, 'dir-out'));
  symlinkSync(join(root, 'a'), join(root, 'b-again'));
  symlinkSync(root, join(root, 'a', 'deep', 'loop'));
  symlinkSync(join(dir, 'nowhere'), join(root, 'broken.png'));
  assert.equal(spawnSync('mkfifo', [join(root, 'pipe.png')]).status, 0);
  assert.deepEqual(await walk(root), [
    'symlink-repeat a/deep/loop',
    'file a/deep/y.png',
    'file a/x.png',
    'symlink-repeat b-again',
    'symlink-broken broken.png',
    'symlink-outside-root dir-out',
    'file link-in.png',
    'symlink-outside-root link-out.png',
    'not-a-regular-file pipe.png',
  ]);
  // a sub-folder walked with the import root as the limit: links to elsewhere in the root are inside
  symlinkSync(join(root, 'a', 'x.png'), join(root, 'a', 'deep', 'sibling.png'));
  assert.deepEqual(await walk(join(root, 'a', 'deep'), root), ['symlink-repeat loop', 'file sibling.png', 'file y.png']);
  assert.deepEqual(await walk(join(root, 'a', 'deep')), ['symlink-outside-root loop', 'symlink-outside-root sibling.png', 'file y.png']);
  assert.equal(isInsideRoot('/r', '/r/..x'), true);
  assert.equal(isInsideRoot('/r', '/r2/x'), false);
  assert.equal(isInsideRoot('/r', '/'), false);
});

test('item text caps: a question or option over its cap is a text-too-long rejection', () => {
  const draft = (question: string, options: string[]): ItemDraft => ({
    sourceKey: 'k',
    question,
    options,
    correct: 0,
    answer: options[0] as string,
    kind: 'multiple-choice',
    modality: 'none',
    modalitySource: 'none',
    modalityConfidence: 0,
    task: 't',
    benchmark: 'b',
    questionType: 'q',
    sourceSplit: null,
    patient: null,
    optionSeed: null,
  });
  const ok = itemEvent(draft('x'.repeat(MAX_QUESTION_CHARS), ['a', 'b'.repeat(MAX_OPTION_CHARS)]), null, null, {}, 'f.csv', 2);
  assert.equal(ok.type, 'item');
  const longQ = itemEvent(draft('x'.repeat(MAX_QUESTION_CHARS + 1), ['a', 'b']), null, null, {}, 'f.csv', 2);
  assert.deepEqual(longQ.type === 'rejection' && [longQ.issue.code, longQ.issue.row], ['text-too-long', 2]);
  const longO = itemEvent(draft('q', ['a', 'b'.repeat(MAX_OPTION_CHARS + 1)]), null, null, {}, 'f.csv', 3);
  assert.ok(longO.type === 'rejection' && longO.issue.code === 'text-too-long' && /option 2/.test(longO.issue.reason));
});
