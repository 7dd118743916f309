// The current route, from the location hash. Owns its hashchange listener; dispose() releases it.
import { DEFAULT_ROUTE, hashQuery, hrefFor, parseHash, type RouteId } from '../routes.ts';

/** The last page shown, so a reload (or a restart without a hash in the address) reopens it. */
export const ROUTE_STORAGE_KEY = 'medbridge.route';

function storedRoute(): RouteId | null {
  try {
    return parseHash(`#/${globalThis.localStorage?.getItem(ROUTE_STORAGE_KEY) ?? ''}`);
  } catch {
    return null;
  }
}

export class RouterState {
  route = $state<RouteId>(DEFAULT_ROUTE);
  /** The route's query (`version=…&split=test`): what the page's pickers say, so a reload keeps the selection. */
  query = $state('');
  /** Bumps on every navigation after the first, so the view can move focus to the new page's heading. */
  navigations = $state(0);
  readonly #onHashChange = () => this.#sync(true);

  constructor() {
    this.#sync(false);
    window.addEventListener('hashchange', this.#onHashChange);
  }

  #sync(navigated: boolean): void {
    const parsed = parseHash(window.location.hash);
    const route = parsed ?? (navigated ? null : storedRoute()) ?? DEFAULT_ROUTE;
    if (parsed === null) {
      // Unknown or empty hash: show the last page (or the default step) and make the address bar say so, without a history entry.
      window.history.replaceState(null, '', hrefFor(route));
    }
    this.route = route;
    this.query = parsed === null ? '' : hashQuery(window.location.hash);
    try {
      globalThis.localStorage?.setItem(ROUTE_STORAGE_KEY, route);
    } catch {
      // Storage unavailable: only the reopen shortcut is lost.
    }
    if (navigated) this.navigations += 1;
  }

  /** Writes the current page's selection into the address without a history entry or a navigation. */
  replaceQuery(query: string): void {
    if (query === this.query) return;
    window.history.replaceState(null, '', hrefFor(this.route, query));
    this.query = query;
  }

  dispose(): void {
    window.removeEventListener('hashchange', this.#onHashChange);
  }
}
