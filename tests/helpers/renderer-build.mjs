// renderer/dist, rebuilt when it is missing or older than any of its inputs. Plain JavaScript, so both the test
// runner (tests/run.js, before any browser test starts) and the e2e harness (a browser test run on its own) use it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

/** What the renderer bundle is built from; a change to any of these makes renderer/dist stale. */
const RENDERER_INPUTS = ['renderer/src', 'renderer/public', 'renderer/index.html', 'renderer/vite.config.ts', 'shared'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Builds renderer/dist under `root` when it is stale; throws with the build's output when the build fails. */
export function buildRendererIfStale(root) {
  const index = join(root, 'renderer', 'dist', 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (built > Math.max(...RENDERER_INPUTS.map((p) => newestMtime(join(root, p))))) return;
  const r = spawnSync('npm', ['run', '-s', 'build:renderer'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build:renderer failed:\n${r.stdout}\n${r.stderr}`);
}
