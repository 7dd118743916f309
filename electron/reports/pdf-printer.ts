// Turns the report HTML into a PDF of the same page. The Electron shell supplies its own printer
// (webContents.printToPDF with the same header/footer options); headless mode and the CLI use Debian's Chromium
// through playwright-core, offline: every request the page makes fails and is counted (there should be none).
import { AppError } from '../../shared/errors.ts';

export interface PdfPrintOptions {
  /** Text printed in the page footer next to the page number. */
  footer: string;
}

export interface PdfPrinter {
  print(html: string, options: PdfPrintOptions): Promise<{ pdf: Buffer; blockedRequests: string[] }>;
}

export const CHROMIUM_PATH = process.env.MEDBRIDGE_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Page margins (the footer lives in the bottom one). */
const MARGIN = { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' };

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Footer with "page N of M" (Chromium fills the pageNumber/totalPages spans). */
export function footerTemplate(text: string): string {
  return `<div style="font-family: Helvetica, Arial, sans-serif; font-size: 8px; color: #444; width: 100%; padding: 0 12mm; display: flex; justify-content: space-between;"><span>${escapeText(text)}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
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
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
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
