// The Electron security settings as plain data and pure predicates (no Electron import), so tests can check them:
// context isolation, sandbox, no Node in the page, a custom app:// origin instead of file://, navigation and new
// windows denied, IPC answered only for the app's own top-level frame.

export const APP_SCHEME = 'app';
export const APP_HOST = 'medbridge';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
  navigateOnDragDrop: false,
} as const;

/** IPC is answered only for the app's own top-level frame. */
export function isTrustedSender(frame: { url: string; isMainFrame: boolean } | null | undefined): boolean {
  if (!frame || !frame.isMainFrame) return false;
  try {
    const u = new URL(frame.url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** In-app navigation stays on the app origin; everything else is refused (nothing opens outside). */
export function isAllowedNavigation(url: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** Maps an app:// request path to a file under the renderer folder, or null if it would escape it. */
export function appPathToRelativeFile(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (`${u.protocol}//${u.host}` !== APP_ORIGIN) return null;
  const path = decodeURIComponent(u.pathname);
  if (path.includes('\0')) return null;
  const parts = path.split('/').filter((p) => p.length > 0);
  if (parts.some((p) => p === '..' || p.includes('\\'))) return null;
  return parts.length === 0 ? 'index.html' : parts.join('/');
}
