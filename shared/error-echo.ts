// How much of the caller's own input an error may repeat back. A message names the id, file or row involved, but a
// 1 MB "id" must not come back in a 404: any run of non-space characters longer than anything legitimate (ids are
// ≤ 80 characters, and paths in messages rarely pass 256) is cut to its first 64 characters and "…".

/** Runs longer than this are cut (a long path still shows whole up to here). */
export const MAX_ECHOED_RUN = 256;
/** What is kept of a cut run: enough to recognise an id. */
export const ECHOED_PREFIX = 64;

export function capEchoedText(text: string): string {
  if (text.length <= MAX_ECHOED_RUN) return text;
  return text.replace(new RegExp(`\\S{${MAX_ECHOED_RUN + 1},}`, 'gu'), (run) => `${Array.from(run).slice(0, ECHOED_PREFIX).join('')}…`);
}

function capValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return capEchoedText(value);
  if (depth <= 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => capValue(v, depth - 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, capValue(v, depth - 1)]));
}

/** The error as it crosses a door: message and detail strings with over-long runs cut. */
export function capErrorEcho<E extends { code: string; message: string; detail?: Record<string, unknown> | undefined }>(error: E): E {
  const capped = { ...error, message: capEchoedText(error.message) };
  if (error.detail !== undefined) capped.detail = capValue(error.detail, 4) as Record<string, unknown>;
  return capped;
}
