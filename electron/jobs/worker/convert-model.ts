// The worker half of this job kind (its host half: electron/jobs/host/convert-model.ts).
// Converting a Hugging Face VLM folder into a model pack, as a job: the worker hashes the source folder (its
// identity goes into the pack's provenance), runs the Python converter into a staging folder beside the target
// (progress per stage), writes manifest.json with the SHA-256 of every file, and renames the staging folder into
// place; the host then records the pack in the job:done transaction (audited with the file hashes and the
// conversion provenance). Cancel or failure removes the staging folder; a resumed attempt starts again.
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConvertModelParams } from '../../../shared/api/models.ts';
import { APP_VERSION } from '../../environment/app-version.ts';
import { computePackId } from '../../models/index.ts';
import { sha256File } from '../../models/file-hash.ts';
import { inspectHfSource } from '../../models/convert/hf-source-folder.ts';
import { checkOutFolder } from '../../models/convert/conversion-request.ts';
import { runConverter } from '../../models/convert/run-converter.ts';
import { packManifestFor, listPackFiles } from '../../models/convert/converted-manifest.ts';
import { findPythonEnvironment } from '../../environment/python-environment.ts';
import { inspectFolder } from '../../models/pack-folder.ts';
import type { WorkerTask } from '../worker-task.ts';

const MB = 1024 * 1024;

const PROGRESS_EVERY_MS = 100;

export const convertModelTask: WorkerTask<ConvertModelParams, never, ConvertModelParams> = {
  kind: 'convert-model',
  async run(ctx) {
    const { source: sourcePath, out, dtype } = ctx.input;
    const source = await inspectHfSource(sourcePath);
    await checkOutFolder(out);
    const python = await findPythonEnvironment();
    const total = source.files.reduce((s, f) => s + f.bytes, 0);
    let hashed = 0;
    let last = 0;
    const digests = [];
    for (const f of source.files) {
      if (ctx.cancelled()) return {};
      const before = hashed;
      digests.push({
        path: f.path,
        sha256: await sha256File(join(source.dir, f.path), (n) => {
          hashed = before + n;
          const now = Date.now();
          if (now - last < PROGRESS_EVERY_MS) return;
          last = now;
          ctx.progress(
            Math.round(hashed / MB),
            Math.round(total / MB),
            `Reading the source model: ${(hashed / MB).toFixed(1)} of ${(total / MB).toFixed(1)} MB (${f.path})`,
          );
        }),
      });
      hashed = before + f.bytes;
    }
    const staging = join(dirname(out), `.${basename(out)}.converting-${ctx.jobId}`);
    await rm(staging, { recursive: true, force: true });
    try {
      const result = await runConverter({
        python: python.python,
        source: source.dir,
        staging,
        dtype,
        cancelled: () => ctx.cancelled(),
        onProgress: (stage, done, steps) => ctx.progress(done, steps, `Converting: ${stage}`),
      });
      if (result === null) {
        await rm(staging, { recursive: true, force: true });
        return {};
      }
      const conversion = {
        converter: `medbridge_convert ${APP_VERSION}`,
        sourceFolder: source.dir,
        sourceSha256: computePackId(digests),
        sourceFiles: digests.length,
        dtype,
        python: python.pythonVersion,
        libraries: result.versions,
      };
      const files = await listPackFiles(staging);
      const manifest = await packManifestFor(staging, files, {
        name: basename(source.dir),
        architecture: result.architecture,
        hiddenSize: result.hiddenSize,
        conversion,
      });
      await writeFile(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      await rename(staging, out);
    } catch (e) {
      await rm(staging, { recursive: true, force: true });
      throw e;
    }
    ctx.progress(0, 0, 'Checking the new pack…');
    const pack = await inspectFolder(out);
    return { dir: out, pack, conversion: { ...((pack.manifest as { conversion?: unknown }).conversion as object) } };
  },
};
