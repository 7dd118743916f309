// Chromium (Debian's, through playwright-core, or Electron's own) with no way out of the machine: the switches both
// PDF printers start it with. One list, so the headless printer and the Electron shell cannot drift apart.

/**
 * A loopback port nothing listens on (9 = discard, not run on a workstation): every request Chromium would proxy
 * fails at once on 127.0.0.1 instead of leaving the machine.
 */
export const CLOSED_LOOPBACK_PROXY = 'http://127.0.0.1:9';
/**
 * Chromium with no way out. `--disable-background-networking` alone still let it send ~28 DNS queries
 * (update.googleapis.com, accounts.google.com) and 2 UDP connects per PDF (measured with strace, issue 16), so:
 * every host name resolves to nothing, every request goes to a closed loopback proxy (loopback included: `<-loopback>`
 * removes the implicit bypass), and the services that phone home are switched off one by one. Playwright adds its own
 * defaults (field-trial config off, component extensions, default apps, breakpad, its --disable-features list), which
 * is why --disable-features is not repeated here: Chromium keeps only the last one given.
 * Measured by tests/integration/reports/zero-egress.test.ts: 0 DNS queries, 0 datagrams or TCP connects to a
 * non-loopback address. What is left is Chromium's IPv6 reachability check (a UDP connect() to 2001:4860:4860::8888,
 * which picks a route and sends nothing; no switch turns it off in Chromium 156): the test lists it and asserts that
 * nothing is ever sent on that socket. On Linux the printer also starts Chromium in an empty network namespace
 * (resources/chromium/run-without-network.sh), where that connect() fails (EADDRNOTAVAIL).
 */
export const CHROMIUM_NO_NETWORK_ARGS: readonly string[] = [
  '--host-resolver-rules=MAP * ~NOTFOUND',
  `--proxy-server=${CLOSED_LOOPBACK_PROXY}`,
  '--proxy-bypass-list=<-loopback>',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--safebrowsing-disable-auto-update',
  '--disable-sync',
  '--disable-crash-reporter',
  '--disable-breakpad',
  '--metrics-recording-only',
  '--disable-field-trial-config',
  '--no-pings',
  '--no-first-run',
  '--no-default-browser-check',
  '--no-service-autorun',
  '--dns-prefetch-disable',
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
];

/** The same switches as Electron's `app.commandLine.appendSwitch(name, value)` pairs. */
export function noNetworkSwitches(): Array<{ name: string; value?: string }> {
  return CHROMIUM_NO_NETWORK_ARGS.map((arg) => {
    const body = arg.replace(/^--/, '');
    const eq = body.indexOf('=');
    return eq < 0 ? { name: body } : { name: body.slice(0, eq), value: body.slice(eq + 1) };
  });
}
