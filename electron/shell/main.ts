// The thin Electron shell: one window on the app:// origin, the contract over IPC, workers in utility processes.
// Everything else lives in plain-Node services (electron/core, electron/services, …).
import { app, BrowserWindow, ipcMain, protocol, screen, session, type IpcMainInvokeEvent } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Core } from '../core/core.ts';
import { CONTENT_SECURITY_POLICY } from '../host/content-security-policy.ts';
import { APP_HOST, APP_ORIGIN, APP_SCHEME, WEB_PREFERENCES, appPathToRelativeFile, isAllowedNavigation, isTrustedSender } from './window-policy.ts';
import { utilityProcessLauncher } from './utility-process-launcher.ts';
import { readWindowState, writeWindowState } from './window-state.ts';
import { ElectronPdfPrinter } from './electron-pdf-printer.ts';
import { appKeyStore } from './safe-storage-key-store.ts';
import { jobEndNotifier } from './job-notifications.ts';
import { noNetworkSwitches } from '../reports/chromium-no-network.ts';
import { reportFileOnDisk } from '../reports/report-file.ts';
import { REPORTS_FOLDER } from '../services/reports-service.ts';
import { REPORT_FILE_MEDIA_TYPES, parseReportFilePath } from '../../shared/report-files.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const RENDERER_DIR = join(HERE, '..', 'renderer');
const MEDIA_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

// Offline at the network layer too, before the app is ready (switches are read at start-up): every host name resolves
// to nothing and every request goes to a closed loopback proxy; Chromium's update, metrics, safe-browsing and
// field-trial traffic is off (the same switches as the headless PDF printer).
for (const { name, value } of noNetworkSwitches()) {
  if (value === undefined) app.commandLine.appendSwitch(name);
  else app.commandLine.appendSwitch(name, value);
}

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

function workspaceDirFromArgs(): string {
  const i = process.argv.indexOf('--workspace');
  const given = i >= 0 ? process.argv[i + 1] : undefined;
  return given ?? join(app.getPath('userData'), 'workspace');
}

async function start(): Promise<void> {
  await app.whenReady();
  const workspaceDir = workspaceDirFromArgs();
  const actor = `ui:${userInfo().username}`;
  const core = new Core({
    workspaceDir,
    mode: 'electron',
    actor,
    launcher: utilityProcessLauncher(join(HERE, 'worker-main.js')),
    pdfPrinter: () => new ElectronPdfPrinter(),
    keyStore: appKeyStore(),
    bundledModelsDir: app.isPackaged ? join(process.resourcesPath, 'models') : undefined,
    init: !existsSync(join(workspaceDir, 'workspace.sqlite')),
  });

  protocol.handle(APP_SCHEME, (request) => {
    // a report's HTML, PDF or manifest from the workspace's report folder (the Report step's links), nothing else
    const url = new URL(request.url);
    const asked = parseReportFilePath(url.pathname);
    if (asked) {
      const reportFile = reportFileOnDisk(join(core.ws.dir, REPORTS_FOLDER), asked.report, asked.file);
      if (!reportFile) return new Response('Not found', { status: 404 });
      return new Response(readFileSync(reportFile), {
        headers: {
          'Content-Type': REPORT_FILE_MEDIA_TYPES[asked.file],
          'Content-Security-Policy': "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
          'Content-Disposition': `${url.searchParams.has('download') ? 'attachment' : 'inline'}; filename="${asked.report}-${asked.file}"`,
        },
      });
    }
    const rel = appPathToRelativeFile(request.url);
    const file = rel ? join(RENDERER_DIR, rel) : null;
    if (!file || !existsSync(file)) return new Response('Not found', { status: 404 });
    return new Response(readFileSync(file), {
      headers: { 'Content-Type': MEDIA_TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
    });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    // Offline by construction: the page may load only from the app origin (plus inline data).
    const ok = details.url.startsWith(`${APP_ORIGIN}/`) || details.url.startsWith('data:') || details.url.startsWith('devtools:');
    callback({ cancel: !ok });
  });

  ipcMain.handle('medbridge:call', async (event: IpcMainInvokeEvent, name: unknown, input: unknown) => {
    const frame = event.senderFrame;
    if (!isTrustedSender(frame ? { url: frame.url, isMainFrame: frame.parent === null } : null))
      return { ok: false, error: { code: 'auth/forbidden-origin', message: 'Refused: the request did not come from the MedBridge window.' } };
    return core.dispatch(String(name), input, { actor });
  });

  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const bounds = readWindowState(
    stateFile,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({ ...bounds, show: false, title: 'MedBridge', webPreferences: { ...WEB_PREFERENCES, preload: join(HERE, 'preload.cjs') } });
  if (bounds.maximized) win.maximize();
  win.on('close', () => writeWindowState(stateFile, { ...win.getNormalBounds(), maximized: win.isMaximized() }));
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url)) e.preventDefault();
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  const notifyJobEnd = jobEndNotifier(win);
  const off = core.onEvent((e) => {
    if (!win.isDestroyed()) win.webContents.send('medbridge:event', e);
    notifyJobEnd(e);
  });
  win.once('ready-to-show', () => win.show());
  await win.loadURL(`${APP_SCHEME}://${APP_HOST}/index.html`);
  if (process.argv.includes(SMOKE_TEST_FLAG)) await smokeTest(win, core);

  app.on('window-all-closed', () => {
    off();
    core.close();
    app.quit();
  });
}

/**
 * `--smoke-test`: after the window loaded, the page calls workspace:status through the preload and IPC; the answer is
 * printed as one line (`MEDBRIDGE_SMOKE {...}`) and the app quits, 0 only if the call succeeded from the window.
 */
const SMOKE_TEST_FLAG = '--smoke-test';
async function smokeTest(win: BrowserWindow, core: Core): Promise<void> {
  let ok = false;
  try {
    const answer = (await win.webContents.executeJavaScript("window.medbridge.call('workspace:status', {})")) as { ok?: boolean };
    ok = answer.ok === true;
    process.stdout.write(`MEDBRIDGE_SMOKE ${JSON.stringify({ url: win.webContents.getURL(), answer })}\n`);
  } catch (e) {
    process.stdout.write(`MEDBRIDGE_SMOKE ${JSON.stringify({ error: (e as Error).message })}\n`);
  }
  core.close();
  app.exit(ok ? 0 : 1);
}

void start();
