// What the job worker's bundle is made of, and the shape of the import graph. The worker does the work and never
// touches SQLite: only the host writes the database. So the worker bundle (built from electron/jobs/worker-main.ts
// exactly as the Electron build does) must pull in no service, no workspace, no host half of a job kind, no
// repository of the database and not the database driver. And no module may take part in a cycle of value imports
// (type-only imports are erased and do not count).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build, type Metafile } from 'esbuild';
import { REPO_ROOT } from '../../helpers/cli.ts';

async function metafileOf(entryPoints: string[]): Promise<Metafile> {
  const r = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints,
    outdir: 'dist/metafile-check',
    bundle: true,
    packages: 'external',
    external: ['electron'],
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return r.metafile;
}

/** Folders and files of electron/ that belong to the host: reading or writing the database, or serving the doors. */
const HOST_ONLY = [
  'electron/services/',
  'electron/core/',
  'electron/host/',
  'electron/cli/',
  'electron/shell/',
  'electron/reports/',
  'electron/engines/',
  'electron/audit/',
  'electron/jobs/host/',
  'electron/jobs/host-handlers.ts',
  'electron/jobs/job-runner.ts',
  'electron/storage/workspace.ts',
  'electron/storage/workspace-lock.ts',
  'electron/storage/change-tracking.ts',
  'electron/storage/database.ts',
  'electron/storage/migration.ts',
  'electron/storage/migrations/',
  'electron/storage/sql-handles.ts',
  'electron/storage/repositories/',
  'electron/storage/append-only-triggers.ts',
];

test('the worker and pool-thread bundles pull in no service, workspace, host half or database code, and not the database driver', async () => {
  const meta = await metafileOf(['electron/jobs/worker-main.ts']);
  const inputs = Object.keys(meta.inputs);
  assert.ok(inputs.includes('electron/jobs/worker/train.ts'), 'the bundle was built from the worker entry');
  const hostCode = inputs.filter((f) => HOST_ONLY.some((h) => f.startsWith(h)));
  assert.deepEqual(hostCode, [], `host-only modules in the worker bundle: ${hostCode.join(', ')}`);
  const externals = new Set(Object.values(meta.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)));
  assert.equal(externals.has('better-sqlite3'), false, 'the worker bundle imports the database driver');
  // The check itself can fail: the host's entry does pull these in.
  // The pool threads a worker starts (electron/jobs/pool-thread.ts) are bundled on their own: the same rule.
  const thread = await metafileOf(['electron/jobs/pool-thread.ts']);
  const threadInputs = Object.keys(thread.inputs);
  assert.ok(threadInputs.includes('electron/importers/dicom-folder-reader.ts'), 'the thread bundle was built from its entry');
  assert.deepEqual(
    threadInputs.filter((f) => HOST_ONLY.some((h) => f.startsWith(h))),
    [],
    'host-only modules in the pool-thread bundle',
  );
  assert.equal(
    Object.values(thread.outputs).some((o) => o.imports.some((i) => i.external && i.path === 'better-sqlite3')),
    false,
    'the pool-thread bundle imports the database driver',
  );
  const host = Object.keys((await metafileOf(['electron/cli/main.ts'])).inputs);
  for (const f of ['electron/services/models-service.ts', 'electron/jobs/host/train.ts', 'electron/storage/database.ts']) assert.ok(host.includes(f), f);
});

/** Strongly connected components of more than one module (Tarjan), i.e. the cycles of value imports. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

test('no cycle of value imports among the modules of the CLI, the worker and the Electron shell', async () => {
  const meta = await metafileOf(['electron/cli/main.ts', 'electron/jobs/worker-main.ts', 'electron/shell/main.ts']);
  const graph = new Map(Object.entries(meta.inputs).map(([f, v]) => [f, v.imports.filter((i) => !i.external).map((i) => i.path)]));
  assert.ok(graph.size > 200, `${graph.size} modules`);
  assert.deepEqual(cycles(graph), []);
  // The finder finds a cycle when there is one.
  assert.deepEqual(
    cycles(
      new Map([
        ['a', ['b']],
        ['b', ['c']],
        ['c', ['a']],
        ['d', ['a']],
      ]),
    ),
    [['a', 'b', 'c']],
  );
});
