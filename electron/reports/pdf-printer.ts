// Turns the report HTML into a PDF of the same page. The Electron shell supplies its own printer
// (webContents.printToPDF with the same header/footer options); headless mode and the CLI use Debian's Chromium
// through playwright-core, offline: every request the page makes fails and is counted (there should be none).
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
let sandboxNoticeShown = false;

/**
 * Chromium's sandbox is on wherever it starts: as an ordinary user it works here (user namespaces; checked as
 * `nobody` on Debian 12, Chromium 156). Chromium refuses it when run as root ("sandboxing failed"), and some
 * containers forbid user namespaces: then it runs without the sandbox, still with no network (the flags above),
 * and says so once on stderr.
 */
async function launchChromium(chromium: PlaywrightChromium) {
  const asRoot = process.getuid?.() === 0;
  if (!asRoot) {
    try {
      return await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, chromiumSandbox: true });
    } catch {
      // Fall through: no sandbox support here (the reason is in Chromium's log; the unsandboxed launch below reports its own failure).
    }
  }
  if (!sandboxNoticeShown) {
    sandboxNoticeShown = true;
    process.stderr.write(`[medbridge] Chromium prints the PDF without its sandbox (${asRoot ? 'running as root, where Chromium refuses it' : 'the sandbox could not start here'}); its network is still cut off.\n`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, chromiumSandbox: false });
}

export class ChromiumPdfPrinter implements PdfPrinter {
  async print(html: string, options: PdfPrintOptions): Promise<{ pdf: Buffer; blockedRequests: string[] }> {
    let chromium: typeof import('playwright-core').chromium;
    try {
      ({ chromium } = await import('playwright-core'));
    } catch {
      throw new AppError('reports/pdf-unavailable', 'PDF export needs Chromium through playwright-core, which is not installed here; the HTML report and the bundle were still written.');
    }
    let browser;
    try {
      browser = await launchChromium(chromium);
    } catch (e) {
      throw new AppError('reports/pdf-unavailable', `Could not start Chromium at ${CHROMIUM_PATH} to print the PDF (${(e as Error).message.split('\n')[0]}). Set MEDBRIDGE_CHROMIUM to its path.`);
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
      const pdf = await page.pdf({ format: 'A4', printBackground: true, displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: footerTemplate(options.footer), margin: MARGIN });
      return { pdf, blockedRequests };
    } finally {
      await browser.close();
    }
  }
}
