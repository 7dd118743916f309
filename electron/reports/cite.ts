// Every number the report prints is a <data value="…" data-p="FILE#/json/pointer"> element (an SVG label carries
// data-v/data-p instead), so a reader — or a test — can find the bundle file and field each number came from.
// Pointers follow RFC 6901 (JSON Pointer): "~" → "~0", "/" → "~1".

export type PathPart = string | number;

/** Where a value lives: a bundle file, the object written to it, and the path inside it. */
export interface Source {
  file: string;
  root: unknown;
}

export function jsonPointer(path: readonly PathPart[]): string {
  return path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function resolvePointer(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function valueAt(root: unknown, path: readonly PathPart[]): unknown {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[String(p)];
  }
  return cur;
}

/** HTML-escapes text; a "://" inside record text gets a zero-width space so the page holds no URL a viewer could fetch. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/:\/\//g, ':/&#8203;/');
}

export type Format = (x: number) => string;

export const pct: Format = (x) => `${(100 * x).toFixed(1)}%`;
export const dec3: Format = (x) => x.toFixed(3);
export const int: Format = (x) => String(Math.round(x));
export const secs: Format = (x) => (x >= 120 ? `${(x / 60).toFixed(1)} min` : `${x.toFixed(1)} s`);
/** Signed percentage points, for differences. */
export const pp: Format = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)} pt`;
export const plain: Format = (x) => String(x);

/** The cited number, or an em dash when the record has none. */
export function num(src: Source, path: readonly PathPart[], f: Format): string {
  const v = valueAt(src.root, path);
  if (typeof v !== 'number' || !Number.isFinite(v)) return '<span class="na">—</span>';
  return `<data value="${String(v)}" data-p="${escapeHtml(`${src.file}#${jsonPointer(path)}`)}">${escapeHtml(f(v))}</data>`;
}

/** "[lo–hi]" for an interval stored as a two-element array. */
export function interval(src: Source, path: readonly PathPart[], f: Format): string {
  const v = valueAt(src.root, path);
  if (!Array.isArray(v) || v.length !== 2) return '';
  return `<span class="ci">[${num(src, [...path, 0], f)}–${num(src, [...path, 1], f)}]</span>`;
}

/** Attributes that tie an SVG <text> label to its source. */
export function svgCite(src: Source, path: readonly PathPart[]): string {
  const v = valueAt(src.root, path);
  return typeof v === 'number' ? ` data-v="${String(v)}" data-p="${escapeHtml(`${src.file}#${jsonPointer(path)}`)}"` : '';
}
