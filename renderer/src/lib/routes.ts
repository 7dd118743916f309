// The app's places: the five wizard steps in order, then the workspace tools. Hash routes (`#/data`) so the same
// build works from the headless host and the Electron custom protocol without server-side routing.

export type StepId = 'data' | 'diagnose' | 'bridge' | 'sharpen' | 'report';
export type ToolId = 'jobs' | 'audit';
export type RouteId = StepId | ToolId;

export interface StepInfo {
  id: StepId;
  number: number;
  title: string;
  /** One line under the title in the navigation. */
  summary: string;
}

export const STEPS: readonly StepInfo[] = [
  { id: 'data', number: 1, title: 'Data', summary: 'Import and balance' },
  { id: 'diagnose', number: 2, title: 'Diagnose', summary: 'Accuracy@1 vs Pass@K' },
  { id: 'bridge', number: 3, title: 'Bridge', summary: 'Fine-tune (SFT)' },
  { id: 'sharpen', number: 4, title: 'Sharpen', summary: 'Reinforce (GRPO)' },
  { id: 'report', number: 5, title: 'Report', summary: 'For the review board' },
];

export const TOOLS: readonly { id: ToolId; title: string }[] = [
  { id: 'jobs', title: 'Jobs' },
  { id: 'audit', title: 'Audit log' },
];

export const DEFAULT_ROUTE: RouteId = 'data';

const ROUTE_IDS: ReadonlySet<string> = new Set<string>([...STEPS.map((s) => s.id), ...TOOLS.map((t) => t.id)]);

export function isStep(route: RouteId): route is StepId {
  return STEPS.some((s) => s.id === route);
}

/** `#/diagnose`, or with a query (what a page's pickers say) `#/diagnose?version=…&split=test`. */
export function hrefFor(route: RouteId, query = ''): string {
  return query ? `#/${route}?${query}` : `#/${route}`;
}

/** The query part of a hash route (`#/diagnose?split=test` → `split=test`); '' when there is none. */
export function hashQuery(hash: string): string {
  const at = hash.indexOf('?');
  return at < 0 ? '' : hash.slice(at + 1);
}

/** `#/jobs` → 'jobs'; anything unknown (or empty) → null so the caller can fall back to the default. */
export function parseHash(hash: string): RouteId | null {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return ROUTE_IDS.has(id) ? (id as RouteId) : null;
}

export function routeTitle(route: RouteId): string {
  return STEPS.find((s) => s.id === route)?.title ?? TOOLS.find((t) => t.id === route)?.title ?? route;
}
