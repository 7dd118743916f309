// The transfer matrix of one model pack on one dataset version: its stored `transfer` runs (runs:list + runs:get; a
// done run's metrics are its row of the matrix) and the action that computes the missing rows (training:transfer,
// one job per training task). Reloads are driven by the caller when a transfer job moves (see components/study/TransferMatrix.svelte).
import type { RunDetail } from '../../../../shared/api/runs.ts';
import type { TrainAlgorithm } from '../../../../shared/api/training.ts';
import type { AppErrorShape } from '../../../../shared/errors.ts';
import type { ApiClient } from '../api/client.ts';
import { coalesce } from '../format/coalesce.ts';
import { canReuseDetail, transferSource, type TransferRowSource } from '../format/transfer.ts';

export interface TransferStart {
  model: string;
  version: string;
  tasks: readonly string[];
  algorithm: TrainAlgorithm;
  init: string | null;
  config: Record<string, unknown>;
  seed: number;
}

export class TransferState {
  /** Transfer runs of the current pack and version, by id. */
  details = $state.raw<Readonly<Record<string, RunDetail>>>({});
  loaded = $state(false);
  starting = $state(false);
  error = $state.raw<AppErrorShape | null>(null);
  readonly refresh: () => Promise<void>;
  readonly #client: ApiClient;
  #pack: string | null = null;
  #version: string | null = null;

  constructor(client: ApiClient) {
    this.#client = client;
    this.refresh = coalesce(() => this.#load());
  }

  get sources(): TransferRowSource[] {
    return Object.values(this.details)
      .map(transferSource)
      .filter((s): s is TransferRowSource => s !== null);
  }

  /** Shows the matrix of this pack and version (reloads when either changes). */
  scope(pack: string | null, version: string | null): void {
    if (pack === this.#pack && version === this.#version) return;
    this.#pack = pack;
    this.#version = version;
    this.details = {};
    this.loaded = false;
    void this.refresh();
  }

  async #load(): Promise<void> {
    const pack = this.#pack;
    const version = this.#version;
    if (!pack || !version) {
      this.loaded = true;
      return;
    }
    const r = await this.#client.call('runs:list', { kind: 'transfer', version, limit: 500 });
    if (!r.ok) {
      this.error = r.error;
      // Read (and failed): the section shows the error, not "Reading…" beside it.
      if (pack === this.#pack && version === this.#version) this.loaded = true;
      return;
    }
    const next: Record<string, RunDetail> = {};
    for (const s of r.value.filter((x) => x.pack === pack)) {
      const have = this.details[s.id];
      // A finished run does not change; a running one is read again until it is.
      if (have && canReuseDetail(have, s.state)) {
        next[s.id] = have;
        continue;
      }
      const d = await this.#client.call('runs:get', { id: s.id });
      if (d.ok) next[s.id] = d.value;
    }
    if (pack === this.#pack && version === this.#version) {
      this.details = next;
      this.loaded = true;
    }
  }

  /** Starts one transfer job per task (train on that task, evaluate every task of the version's test split). */
  async compute(start: TransferStart): Promise<boolean> {
    if (this.starting || start.tasks.length === 0) return false;
    this.starting = true;
    let ok = true;
    try {
      for (const task of start.tasks) {
        const r = await this.#client.call('training:transfer', {
          model: start.model,
          version: start.version,
          train: { tasks: [task] },
          algorithm: start.algorithm,
          ...(start.init ? { init: start.init } : {}),
          config: start.config as never,
          seed: start.seed,
          evalSplit: 'test',
        });
        if (!r.ok) {
          this.error = r.error;
          ok = false;
          break;
        }
      }
      if (ok) this.error = null;
      await this.refresh();
      return ok;
    } finally {
      this.starting = false;
    }
  }

  dismissError(): void {
    this.error = null;
  }
}
