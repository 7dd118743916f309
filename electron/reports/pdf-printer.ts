// Turns the report HTML into a PDF of the same page. The Electron shell supplies its own printer
// (webContents.printToPDF with the same header/footer options); headless mode and the CLI use Debian's Chromium
// through playwright-core, offline: every request the page makes fails and is counted (there should be none).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../shared/errors.ts';
import { CHROMIUM_NO_NETWORK_ARGS } from './chromium-no-network.ts';

export interface PdfPrintOptions {
  /** Text printed in the page footer next to the page number. */
  footer: string;
}

export interface PdfPrinter {
  print(html: string, options: PdfPrintOptions): Promise<{ pdf: Buffer; blockedRequests: string[] }>;
}

export const CHROMIUM_PATH = process.env.MEDBRIDGE_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--disable-gpu', ...CHROMIUM_NO_NETWORK_ARGS];
/** Page margins (the footer lives in the bottom one). */
const MARGIN = { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' };

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Footer with "page N of M" (Chromium fills the pageNumber/totalPages spans). */
export function footerTemplate(text: string): string {
  return `<div style="font-family: Helvetica, Arial, sans-serif; font-size: 8px; color: #444; width: 100%; padding: 0 12mm; display: flex; justify-content: space-between;"><span>${escapeText(text)}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
}

type PlaywrightChromium = typeof import('playwright-core').chromium;
type Browser = Awaited<ReturnType<PlaywrightChromium['launch']>>;

/** Starts Chromium inside an empty network namespace (Linux, `unshare`): resources/chromium/run-without-network.sh. */
const NETNS_LAUNCHER = fileURLToPath(new URL('../../resources/chromium/run-without-network.sh', import.meta.url));
let launchNoticeShown = false;

interface LaunchAttempt {
  sandbox: boolean;
  netns: boolean;
}

/**
 * The ways to start Chromium, safest first. Network: on Linux, inside an empty network namespace when `unshare` is
 * allowed (then nothing can leave whatever Chromium does; the switches still apply), else the switches alone.
 * Sandbox: on wherever it starts — as an ordinary user it does here (user namespaces; checked as `nobody` on Debian 12,
 * Chromium 156); Chromium refuses it as root ("sandboxing failed"), and some containers forbid user namespaces.
 */
export function launchAttempts(platform: NodeJS.Platform, asRoot: boolean, netnsAvailable: boolean): LaunchAttempt[] {
  const sandboxes = asRoot ? [false] : [true, false];
  const netns = platform === 'linux' && netnsAvailable ? [true, false] : [false];
  return sandboxes.flatMap((sandbox) => netns.map((n) => ({ sandbox, netns: n })));
}

async function launchChromium(chromium: PlaywrightChromium): Promise<Browser> {
  const asRoot = process.getuid?.() === 0;
  const attempts = launchAttempts(process.platform, asRoot, existsSync(NETNS_LAUNCHER) && (existsSync('/usr/bin/unshare') || existsSync('/bin/unshare')));
  let lastError: unknown = null;
  for (const attempt of attempts) {
    try {
      const browser = await chromium.launch({
        executablePath: attempt.netns ? NETNS_LAUNCHER : CHROMIUM_PATH,
        args: CHROMIUM_ARGS,
        chromiumSandbox: attempt.sandbox,
        // A signal to MedBridge is MedBridge's to handle: with Playwright's own handlers, a SIGTERM while printing only
        // closed Chromium and the CLI kept running. Chromium left behind by a killed MedBridge exits by itself.
        handleSIGTERM: false,
        handleSIGINT: false,
        handleSIGHUP: false,
        ...(attempt.netns ? { env: { ...process.env, MEDBRIDGE_CHROMIUM_BINARY: CHROMIUM_PATH, MEDBRIDGE_UNSHARE_USER: asRoot ? '0' : '1' } } : {}),
      });
      if ((!attempt.sandbox || !attempt.netns) && !launchNoticeShown) {
        launchNoticeShown = true;
        const missing = [
          !attempt.sandbox ? `its sandbox (${asRoot ? 'running as root, where Chromium refuses it' : 'it could not start here'})` : null,
          !attempt.netns ? 'a network namespace of its own (unshare is not available or not allowed)' : null,
        ].filter(Boolean);
        process.stderr.write(`[medbridge] Chromium prints the PDF without ${missing.join(' and without ')}; its network is still cut off by its switches.\n`);
      }
      return browser;
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}

/** How long printing waits for Chromium to close before it goes on without it. */
const BROWSER_CLOSE_MS = 15_000;

/**
 * Closes Chromium, waiting at most `ms`: a Chromium that hangs on closing must not hold the report (or the CLI) for
 * ever. Playwright still kills the browser's process group when MedBridge exits.
 */
async function closeWithin(browser: Browser, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolveLate) => {
    timer = setTimeout(() => {
      process.stderr.write(`[medbridge] Chromium did not close within ${ms / 1000} s after printing; going on without waiting for it.\n`);
      resolveLate();
    }, ms);
    timer.unref();
  });
  try {
    await Promise.race([browser.close().catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

export class ChromiumPdfPrinter implements PdfPrinter {
  async print(html: string, options: PdfPrintOptions): Promise<{ pdf: Buffer; blockedRequests: string[] }> {
    let chromium: typeof import('playwright-core').chromium;
    try {
      ({ chromium } = await import('playwright-core'));
    } catch {
      throw new AppError(
        'reports/pdf-unavailable',
        'PDF export needs Chromium through playwright-core, which is not installed here; the HTML report and the bundle were still written.',
      );
    }
    let browser;
    try {
      browser = await launchChromium(chromium);
    } catch (e) {
      throw new AppError(
        'reports/pdf-unavailable',
        `Could not start Chromium at ${CHROMIUM_PATH} to print the PDF (${(e as Error).message.split('\n')[0]}). Set MEDBRIDGE_CHROMIUM to its path.`,
      );
    }
    try {
      // Offline context: any request fails; the listener records it (request interception would also work but
      // makes printing a 200-page report about twice as slow).
      const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
      const blockedRequests: string[] = [];
      const page = await context.newPage();
      page.on('request', (r) => blockedRequests.push(r.url()));
      await page.setContent(html, { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: footerTemplate(options.footer),
        margin: MARGIN,
        tagged: true,
        outline: true,
      });
      return { pdf, blockedRequests };
    } finally {
      await closeWithin(browser, BROWSER_CLOSE_MS);
    }
  }
}
