// The current route, from the location hash. Owns its hashchange listener; dispose() releases it.
import { DEFAULT_ROUTE, hrefFor, parseHash, type RouteId } from '../routes.ts';

export class RouterState {
  route = $state<RouteId>(DEFAULT_ROUTE);
  /** Bumps on every navigation after the first, so the view can move focus to the new page's heading. */
  navigations = $state(0);
  readonly #onHashChange = () => this.#sync(true);

  constructor() {
    this.#sync(false);
    window.addEventListener('hashchange', this.#onHashChange);
  }

  #sync(navigated: boolean): void {
    const parsed = parseHash(window.location.hash);
    if (parsed === null) {
      // Unknown or empty hash: show the default step and make the address bar say so, without a history entry.
      window.history.replaceState(null, '', hrefFor(DEFAULT_ROUTE));
    }
    this.route = parsed ?? DEFAULT_ROUTE;
    if (navigated) this.navigations += 1;
  }

  dispose(): void {
    window.removeEventListener('hashchange', this.#onHashChange);
  }
}
