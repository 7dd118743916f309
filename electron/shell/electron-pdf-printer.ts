// The report PDF in the Electron app: an offscreen, sandboxed window with JavaScript off loads the self-contained
// report HTML and prints it with webContents.printToPDF; any request it tries is cancelled and recorded.
import { BrowserWindow, session } from 'electron';
import type { PdfPrinter, PdfPrintOptions } from '../reports/pdf-printer.ts';
import { footerTemplate } from '../reports/pdf-printer.ts';
import { CLOSED_LOOPBACK_PROXY } from '../reports/chromium-no-network.ts';

const PRINT_PARTITION = 'medbridge-report-print';
/** Page margins in inches (14/16/12 mm, as the headless printer uses). */
const MARGINS = { top: 0.55, bottom: 0.63, left: 0.47, right: 0.47 };

export class ElectronPdfPrinter implements PdfPrinter {
  async print(html: string, options: PdfPrintOptions): Promise<{ pdf: Buffer; blockedRequests: string[] }> {
    const blockedRequests: string[] = [];
    const printSession = session.fromPartition(PRINT_PARTITION);
    // No way out even for a request the filter below would miss: the session's proxy is a closed loopback port
    // (loopback included), and it may ask for no permission.
    await printSession.setProxy({ proxyRules: CLOSED_LOOPBACK_PROXY, proxyBypassRules: '<-loopback>' });
    printSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    printSession.webRequest.onBeforeRequest((details, callback) => {
      const internal = details.url.startsWith('data:');
      if (!internal) blockedRequests.push(details.url);
      callback({ cancel: !internal });
    });
    const win = new BrowserWindow({
      show: false,
      webPreferences: { session: printSession, sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false },
    });
    try {
      await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
      const pdf = await win.webContents.printToPDF({
        pageSize: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: footerTemplate(options.footer),
        margins: MARGINS,
        generateTaggedPDF: true,
        generateDocumentOutline: true,
      });
      return { pdf, blockedRequests };
    } finally {
      win.destroy();
    }
  }
}
