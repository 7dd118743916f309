// Runs an async reload at most once at a time: triggers during a run are folded into one more run afterwards.
// Used when a burst of pushed events (audit-appended) each ask for the same reload.
export function coalesce(run: () => Promise<void>): () => Promise<void> {
  let current: Promise<void> | null = null;
  let again = false;
  const loop = async (): Promise<void> => {
    do {
      again = false;
      try {
        await run();
      } catch (e) {
        console.warn('A MedBridge reload failed', e);
      }
    } while (again);
    current = null;
  };
  return () => {
    if (current) {
      again = true;
      return current;
    }
    current = loop();
    return current;
  };
}
