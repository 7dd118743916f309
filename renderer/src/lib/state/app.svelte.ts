// The app's state root: one client, the domain states, and the wiring from pushed events to reloads.
// Owns every subscription it makes; dispose() releases them all.
import type { AppEvent } from '../../../../shared/events.ts';
import type { ApiClient, ConnectionState } from '../api/client.ts';
import { AuditState } from './audit.svelte.ts';
import { BalanceState } from './balance.svelte.ts';
import { DatasetsState } from './datasets.svelte.ts';
import { DiagnoseSelectionState } from './diagnose-selection.svelte.ts';
import { ItemsState } from './items.svelte.ts';
import { JobsState } from './jobs.svelte.ts';
import { JobToastsState } from './job-toasts.svelte.ts';
import { RouterState } from './router.svelte.ts';
import { RunHistoryState } from './run-history.svelte.ts';
import { StudyState } from './study.svelte.ts';
import { WorkspaceState } from './workspace.svelte.ts';

/** Version ids, newest first (the list comes oldest first). */
export function newestFirst(versions: readonly { id: string; createdAt: string }[]): string[] {
  return [...versions].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0)).map((v) => v.id);
}

export type DataTab = 'import' | 'browse' | 'balance';

export class AppState {
  readonly client: ApiClient;
  readonly router = new RouterState();
  /** Toasts for jobs that end while the user is on another page. */
  readonly jobToasts = new JobToastsState(() => this.router.route);
  readonly workspace: WorkspaceState;
  readonly jobs: JobsState;
  readonly audit: AuditState;
  readonly datasets: DatasetsState;
  readonly items: ItemsState;
  readonly balance: BalanceState;
  readonly study: StudyState;
  /** What the Diagnose step's pickers say, bound to the address. */
  readonly diagnoseSelection: DiagnoseSelectionState;
  /** Bridge's and Sharpen's run history: the runs chosen in the address, and their paired comparison. */
  readonly runHistory: RunHistoryState;
  /** Which part of the Data step is open. */
  dataTab = $state<DataTab>('import');
  connection = $state<ConnectionState>('connecting');
  readonly #disposables: (() => void)[] = [];

  constructor(client: ApiClient) {
    this.client = client;
    this.workspace = new WorkspaceState(client);
    this.jobs = new JobsState(client);
    this.audit = new AuditState(client);
    this.items = new ItemsState(client);
    this.balance = new BalanceState(client);
    this.study = new StudyState(client, (job) => this.jobs.apply(job));
    this.diagnoseSelection = new DiagnoseSelectionState(this.study, this.router);
    this.runHistory = new RunHistoryState(client, this.study, this.router);
    this.datasets = new DatasetsState(client, {
      onJob: (job) => this.jobs.apply(job),
      onList: (list) => this.balance.syncDatasets(list.filter((d) => d.state === 'ready')),
      onDataChanged: () => {
        if (this.items.loaded) void this.items.reload();
      },
    });
    this.#disposables.push(() => this.router.dispose());
  }

  start(): void {
    this.#disposables.push(this.client.onEvent((e) => this.#onEvent(e)));
    this.#disposables.push(
      this.client.onConnection((state) => {
        this.connection = state;
        // Events sent before the stream opened (or during a gap) were missed: reload everything shown.
        // Concurrent reloads fold into one more (see coalesce), so the start-up double load costs one request each.
        if (state === 'live') void this.reloadAll();
      }),
    );
    void this.reloadAll();
  }

  openDataTab(tab: DataTab): void {
    this.dataTab = tab;
    if (tab === 'browse' && !this.items.loaded) void this.items.reload();
  }

  reloadAll(): Promise<unknown> {
    return Promise.all([
      this.workspace.refresh().then(() => {
        // The study is restored per workspace, once its path is known; later reloads refresh its runs.
        const path = this.workspace.status?.path;
        if (path) return this.study.restored ? this.study.runList.refresh() : this.study.restore(path);
        return undefined;
      }),
      this.jobs.refresh(),
      this.audit.refresh(),
      this.datasets.refresh(),
      this.balance.refreshVersions().then(() => this.study.selection.syncVersions(newestFirst(this.balance.versions))),
    ]);
  }

  #onEvent(e: AppEvent): void {
    switch (e.type) {
      case 'job-updated':
        this.jobs.apply(e.job);
        this.jobToasts.onJob(e.job);
        this.datasets.onJob(e.job);
        this.study.onJob(e.job);
        break;
      case 'audit-appended':
        // The event names the entry; the table needs its time, actor and hash, and the header the new head.
        void this.audit.refresh();
        void this.workspace.refresh();
        break;
    }
  }

  dispose(): void {
    for (const d of this.#disposables.splice(0)) d();
    this.client.dispose();
  }
}
