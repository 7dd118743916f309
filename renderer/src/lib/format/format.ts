// Pure display helpers: numbers, hashes, times. No DOM, no state, unit-tested in tests/unit/renderer.

/** Characters of a SHA-256 hex digest shown inline; the full value is always one hover/copy away. */
export const SHORT_HASH_LENGTH = 12;

export function shortHash(hash: string | null | undefined, length = SHORT_HASH_LENGTH): string {
  if (!hash) return '—';
  return hash.length <= length ? hash : hash.slice(0, length);
}

/** Whole percent done, clamped to 0–100; 0 when the total is not known yet. */
export function percent(done: number, total: number): number {
  if (!(total > 0) || !(done > 0)) return 0;
  return Math.min(100, Math.max(0, Math.floor((100 * done) / total)));
}

/** "4 s", "2 min 05 s", "1 h 03 min"; null or non-finite → "—". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, '0')} min`;
}

/** "12.5 files/s" (one decimal below 100, whole numbers above). */
export function formatRate(rate: number, unit = 'files'): string {
  if (!Number.isFinite(rate) || rate <= 0) return `— ${unit}/s`;
  return `${rate < 100 ? rate.toFixed(1) : Math.round(rate).toString()} ${unit}/s`;
}

/** Local date and time to the second, in a fixed, sortable shape: "2026-11-25 21:07:51". */
export function formatTimestamp(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** "1,234" with thin grouping that reads the same in every locale we ship. */
export function formatCount(n: number): string {
  return Math.trunc(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
