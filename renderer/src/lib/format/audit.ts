// One line saying what an audit entry's payload changed, for the actions whose payload a reviewer needs to see in
// the table (the full payload stays in the workspace and in `medbridge audit` output). Pure, unit-tested.
import { modalityLabel } from './data.ts';

function record(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

export function describeAuditPayload(action: string, payload: unknown): string | null {
  const p = record(payload);
  if (!p) return null;
  if (action === 'modality:override') {
    const before = record(p.before) ?? {};
    const items = Object.keys(before);
    const from = [...new Set(Object.values(before).map(String))].map(modalityLabel).join(', ');
    const to = typeof p.modality === 'string' ? modalityLabel(p.modality) : '?';
    const reason = typeof p.reason === 'string' && p.reason ? ` · “${p.reason}”` : '';
    const which = items.length === 1 ? ` · ${items[0]}` : '';
    return `${from || '?'} → ${to}${reason}${which}`;
  }
  if (action === 'versions:create') {
    const n = typeof p.n === 'number' ? `${p.n} items` : null;
    const seed = typeof record(p.spec)?.seed === 'number' ? `seed ${String(record(p.spec)?.seed)}` : null;
    return [n, seed].filter(Boolean).join(' · ') || null;
  }
  return null;
}
