// The audit log as the UI shows it: newest entries first, reloaded when the host says one was appended,
// plus the result of the last chain verification.
import type { AuditEntry, AuditVerification } from '../../../../shared/api/audit.ts';
import type { AppErrorShape } from '../../../../shared/errors.ts';
import type { ApiClient } from '../api/client.ts';
import { coalesce } from '../format/coalesce.ts';

/** Entries shown in the table (the host caps one page at 1000). */
export const AUDIT_PAGE_SIZE = 200;

export interface VerificationRecord {
  result: AuditVerification;
  /** When the user asked (ISO time), so a stale "verified" is visibly stale. */
  at: string;
}

export class AuditState {
  entries = $state.raw<AuditEntry[]>([]);
  loaded = $state(false);
  error = $state.raw<AppErrorShape | null>(null);
  verifying = $state(false);
  verification = $state.raw<VerificationRecord | null>(null);
  /** Entries appended since the last verification (0 when none, or never verified). */
  newSinceVerification = $derived.by(() => {
    const v = this.verification;
    const newest = this.entries[0]?.seq ?? 0;
    return v ? Math.max(0, newest - v.result.entries) : 0;
  });
  readonly #client: ApiClient;
  readonly refresh: () => Promise<void>;

  constructor(client: ApiClient) {
    this.#client = client;
    this.refresh = coalesce(() => this.#load());
  }

  async verify(): Promise<void> {
    if (this.verifying) return;
    this.verifying = true;
    try {
      const r = await this.#client.call('audit:verify', {});
      if (r.ok) {
        this.verification = { result: r.value, at: new Date().toISOString() };
        this.error = null;
      } else {
        this.error = r.error;
      }
    } finally {
      this.verifying = false;
    }
  }

  dismissError(): void {
    this.error = null;
  }

  async #load(): Promise<void> {
    const r = await this.#client.call('audit:list', { limit: AUDIT_PAGE_SIZE });
    if (r.ok) {
      this.entries = r.value;
    } else {
      this.error = r.error;
    }
    this.loaded = true;
  }
}
