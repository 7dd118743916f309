/** Builds renderer/dist under `root` when it is stale; throws with the build output when the build fails. */
export function buildRendererIfStale(root: string): void;
