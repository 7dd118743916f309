// The storage migration for workspaces made before grey images were stored as grey (issue 14, storage): a workspace
// holding grey images as RGB PNGs, as older versions wrote them, is compacted by `jobs start compact-images`, and ends
// exactly as a fresh import of the same sources leaves it today — every item's image and thumbnail the very blobs a
// fresh import wrote (same bytes), the same item ids and dHashes — while colour images are left alone. The old files
// and their rows are gone, the feature cache rows of old images are dropped, each replacement is recorded, the log
// verifies, every stored file checks, and a second run finds nothing to do.
// The legacy state is made by hand from the fresh one: each grey image and thumbnail encoded by sharp from its
// one-channel pixels without the grey colour space (what older versions did: an RGB PNG), stored, and named by its
// items in place of the grey ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { decodeImage } from '../../../electron/formats/index.ts';
import { BlobStore } from '../../../electron/storage/blob-store.ts';
import { REPO_ROOT, runCli, tempDir } from '../../helpers/cli.ts';

const FIXTURES = join(REPO_ROOT, 'tests', 'fixtures');
const BREAST = join(FIXTURES, 'formats', 'medmnist', 'BreastMNIST.npz');
const BLOOD = join(FIXTURES, 'formats', 'images', 'blood-cell-pbc');
/** 512×512 (sharp's path: over 64 KiB of pixels) and 128×128 (the JavaScript encoder's path). */
const DICOM = ['dicomParser/CT1_UNC.explicit_little_endian.dcm', 'pydicom/CT_small.dcm'];

interface ItemRow {
  id: string;
  image_hash: string;
  thumb_hash: string;
  phash: string;
}

function items(ws: string): ItemRow[] {
  const db = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT id, image_hash, thumb_hash, phash FROM items ORDER BY id').all() as ItemRow[];
  } finally {
    db.close();
  }
}

const colourType = (png: Uint8Array) => png[25];

test('compact-images turns a workspace of RGB-stored grey images into what a fresh import stores today', async (t) => {
  const { dir, cleanup } = tempDir('compact-images');
  t.after(cleanup);
  const ws = join(dir, 'W');
  assert.equal(runCli(['init', '--workspace', ws]).code, 0);
  const dicom = join(dir, 'dicom');
  mkdirSync(dicom);
  for (const f of DICOM) cpSync(join(FIXTURES, 'dicom', f), join(dicom, f.replace('/', '-')));
  const blood = join(dir, 'blood');
  for (const c of ['basophil', 'eosinophil']) cpSync(join(BLOOD, c), join(blood, c), { recursive: true });
  for (const args of [
    ['medmnist', BREAST],
    ['dicom', dicom],
    ['image-folder', blood, '--modality', 'microscopy', '--task', 'cells'],
  ]) {
    const r = runCli(['import', ...args, '--workspace', ws, '--json']);
    assert.equal(r.code, 0, r.stderr);
  }
  const fresh = items(ws);
  const store = new BlobStore(ws);
  const isGrey = (hash: string) => colourType(store.get(hash)) === 0;
  const greyItems = fresh.filter((r) => isGrey(r.image_hash));
  const colourItems = fresh.filter((r) => !isGrey(r.image_hash));
  assert.equal(colourItems.length, 20, 'the 20 blood-cell images are colour');
  assert.equal(greyItems.length, fresh.length - 20);
  assert.ok(
    greyItems.some((r) => r.image_hash === r.thumb_hash),
    'a 28×28 image is its own thumbnail',
  );
  assert.ok(
    greyItems.some((r) => r.image_hash !== r.thumb_hash),
    'a 512×512 image has a thumbnail of its own',
  );

  // The legacy state: grey pixels stored as RGB PNGs (and RGB thumbnails, one for every image), named by the items.
  const db = new Database(join(ws, 'workspace.sqlite'));
  const legacy = new Map<string, { image: string; thumb: string }>();
  let legacyBytes = 0;
  let freshBytes = 0;
  for (const image of new Set(greyItems.map((r) => r.image_hash))) {
    const px = await decodeImage(store.get(image), { maxSide: 1 << 16 });
    assert.equal(px.channels, 1);
    const raw = sharp(px.data, { raw: { width: px.width, height: px.height, channels: 1 } });
    const oldPng = new Uint8Array(await raw.clone().png({ compressionLevel: 6 }).toBuffer());
    const oldThumb = new Uint8Array(await raw.clone().resize(96, 96, { fit: 'inside', withoutEnlargement: true }).png({ compressionLevel: 9 }).toBuffer());
    assert.equal(colourType(oldPng), 2, 'sharp without the grey colour space writes RGB');
    const a = store.put(oldPng);
    const b = store.put(oldThumb);
    const thumb = greyItems.find((r) => r.image_hash === image)!.thumb_hash;
    freshBytes += store.size(image) + (thumb === image ? 0 : store.size(thumb));
    legacyBytes += a.size + b.size;
    for (const x of [a, b])
      db.prepare("INSERT OR IGNORE INTO blobs (hash, size, media_type, created_at) VALUES (?, ?, 'image/png', '2026-01-01T00:00:00Z')").run(x.hash, x.size);
    db.prepare('UPDATE items SET image_hash = ?, thumb_hash = ? WHERE image_hash = ?').run(a.hash, b.hash, image);
    legacy.set(image, { image: a.hash, thumb: b.hash });
  }
  // a cached feature row of one old image (its features were computed from the old file)
  const [firstOld] = [...legacy.values()];
  db.prepare("INSERT INTO feature_cache (pack_id, image_hash, template_hash, blob_hash) VALUES ('pack', ?, 'tpl', ?)").run(
    firstOld!.image,
    colourItems[0]!.image_hash,
  );
  db.close();

  const r = runCli(['jobs', 'start', 'compact-images', '--workspace', ws, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const job = r.json as {
    state: string;
    result: { imagesRewritten: number; thumbnailsReplaced: number; oldBlobsRemoved: number; bytesRemoved: number; bytesOfNewFiles: number };
  };
  assert.equal(job.state, 'done');
  assert.equal(job.result.imagesRewritten, legacy.size);
  assert.equal(job.result.oldBlobsRemoved, 2 * legacy.size, 'every old image and thumbnail removed');
  assert.equal(job.result.bytesRemoved, legacyBytes);
  assert.equal(job.result.bytesOfNewFiles, freshBytes);
  process.stdout.write(`# ${legacy.size} images: ${legacyBytes} bytes as RGB PNGs → ${freshBytes} as grey (${(legacyBytes / freshBytes).toFixed(2)}×)\n`);

  // Exactly the fresh import's blobs, ids and hashes; colour items untouched.
  assert.deepEqual(items(ws), fresh);
  for (const old of legacy.values()) {
    assert.equal(existsSync(store.pathOf(old.image)), false, 'old image file removed');
    assert.equal(existsSync(store.pathOf(old.thumb)), false, 'old thumbnail file removed');
  }
  const check = new Database(join(ws, 'workspace.sqlite'), { readonly: true });
  try {
    assert.equal(check.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(
      (
        check
          .prepare(
            'SELECT count(*) AS n FROM blobs WHERE hash IN (' +
              [...legacy.values()]
                .flatMap((o) => [o.image, o.thumb])
                .map(() => '?')
                .join(',') +
              ')',
          )
          .get(...[...legacy.values()].flatMap((o) => [o.image, o.thumb])) as { n: number }
      ).n,
      0,
    );
    assert.equal(
      (check.prepare("SELECT count(*) AS n FROM feature_cache WHERE pack_id = 'pack'").get() as { n: number }).n,
      0,
      "the old image's cached features dropped",
    );
    assert.equal((check.prepare("SELECT count(*) AS n FROM blob_replacements WHERE role = 'image'").get() as { n: number }).n, legacy.size);
  } finally {
    check.close();
  }
  assert.equal(runCli(['audit', 'verify', '--workspace', ws, '--json']).code, 0);
  const verified = runCli(['jobs', 'start', 'verify-blobs', '--workspace', ws, '--json']);
  assert.equal((verified.json as { result: { ok: boolean } }).result.ok, true, 'every stored file hashes to its name');

  // Nothing left to do.
  const again = runCli(['jobs', 'start', 'compact-images', '--workspace', ws, '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal((again.json as typeof job).result.imagesRewritten, 0);
  assert.deepEqual(items(ws), fresh);
});
