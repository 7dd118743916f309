import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEFAULT_WINDOW, readWindowState, restoreBounds, writeWindowState } from '../../../electron/shell/window-state.ts';
import { tempDir } from '../../helpers/cli.ts';

const SCREEN = [{ x: 0, y: 0, width: 1920, height: 1080 }];

test('window bounds round-trip through the state file', (t) => {
  const { dir, cleanup } = tempDir('winstate');
  t.after(cleanup);
  const file = join(dir, 'window-state.json');
  assert.deepEqual(readWindowState(file, SCREEN), DEFAULT_WINDOW, 'no file yet');
  writeWindowState(file, { x: 100, y: 50, width: 1400, height: 900, maximized: true });
  assert.deepEqual(readWindowState(file, SCREEN), { x: 100, y: 50, width: 1400, height: 900, maximized: true });
});

test('off-screen, tiny or malformed saved bounds fall back', () => {
  assert.deepEqual(
    restoreBounds({ x: 5000, y: 5000, width: 1200, height: 800, maximized: false }, SCREEN),
    { width: 1200, height: 800, maximized: false },
    'display unplugged: keep size, drop position',
  );
  assert.deepEqual(restoreBounds({ x: 0, y: 0, width: 50, height: 800 }, SCREEN), DEFAULT_WINDOW);
  assert.deepEqual(restoreBounds('garbage', SCREEN), DEFAULT_WINDOW);
  assert.deepEqual(restoreBounds(null, SCREEN), DEFAULT_WINDOW);
});
