// Feature standardisation with training-split statistics: z = (x − mean) / std.

export interface Standardizer {
  mean: number[];
  /** Population standard deviation (divide by n); features constant on train get 1, so they map to 0. */
  scale: number[];
}

export function fitStandardizer(rows: readonly ArrayLike<number>[]): Standardizer {
  const n = rows.length;
  if (n === 0) throw new RangeError('standardiser needs at least one row');
  const dim = (rows[0] as ArrayLike<number>).length;
  const mean = new Array<number>(dim).fill(0);
  for (const r of rows) {
    if (r.length !== dim) throw new RangeError(`feature rows must all have ${dim} values, got ${r.length}`);
    for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) + (r[j] as number);
  }
  for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) / n;
  const scale = new Array<number>(dim).fill(0);
  for (const r of rows) {
    for (let j = 0; j < dim; j++) {
      const d = (r[j] as number) - (mean[j] as number);
      scale[j] = (scale[j] as number) + d * d;
    }
  }
  for (let j = 0; j < dim; j++) {
    const sd = Math.sqrt((scale[j] as number) / n);
    scale[j] = sd > 0 ? sd : 1;
  }
  return { mean, scale };
}

export function standardizeRow(row: ArrayLike<number>, s: Standardizer): Float64Array {
  if (row.length !== s.mean.length) throw new RangeError(`feature row has ${row.length} values, expected ${s.mean.length}`);
  const out = new Float64Array(row.length);
  for (let j = 0; j < row.length; j++) out[j] = ((row[j] as number) - (s.mean[j] as number)) / (s.scale[j] as number);
  return out;
}
