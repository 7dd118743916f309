// DICOM DA values (YYYYMMDD, PS3.5 Table 6.2-1) and their shifting by whole days.

const DA_PATTERN = /^(\d{4})(\d{2})(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Shifts a DA value by `days`; undefined when the value is not a valid calendar date. */
export function shiftDicomDate(value: string, days: number): string | undefined {
  const m = DA_PATTERN.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const check = new Date(t);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  const shifted = new Date(t + days * MS_PER_DAY);
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  return `${pad(shifted.getUTCFullYear(), 4)}${pad(shifted.getUTCMonth() + 1, 2)}${pad(shifted.getUTCDate(), 2)}`;
}
