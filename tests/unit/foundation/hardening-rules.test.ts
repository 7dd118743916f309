// Pure rules behind issue 16's hardening: which strace lines count as network egress, how much of an id an error may
// echo, which content types an API call may carry, what a contract path is, and the switches that cut Chromium off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attemptsToLeave, isLoopback, parseEgressTrace } from '../../helpers/egress-trace.ts';
import { ECHOED_PREFIX, capErrorEcho, capEchoedText } from '../../../shared/error-echo.ts';
import { AbsolutePath, AbsolutePathOrHubId, PackIdOrPath } from '../../../shared/api/local-path.ts';
import { isJsonContentType } from '../../../electron/host/http-server.ts';
import { CHROMIUM_NO_NETWORK_ARGS, noNetworkSwitches } from '../../../electron/reports/chromium-no-network.ts';
import { launchAttempts } from '../../../electron/reports/pdf-printer.ts';

// Lines as Debian's strace 6.1 prints them with -f -yy (shortened), from a PDF print before the fix.
const BEFORE = [
  '7567  connect(23<UDP:[0.0.0.0:34783]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0',
  '7567  sendto(23<UDP:[0.0.0.0:34783]>, "\\7\\v\\1\\0\\0\\1\\0\\0\\0\\0\\0\\0\\6update\\ngoogleapis\\3c"..., 39, 0, NULL, 0) = 39',
  '7505  sendmmsg(101<UDP:[192.0.2.2:53378->10.255.255.53:53]>, [{msg_hdr={msg_name=NULL, msg_namelen=0}}], 2, MSG_NOSIGNAL) = 2',
  '7509  connect(119<UDP:[14482]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16 <unfinished ...>',
  '7510  connect(40<TCP:[10.0.0.2:40000]>, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("142.250.1.1")}, 16) = -1 EINPROGRESS',
].join('\n');
// After: local IPC, loopback, and the IPv6 route check that sends nothing.
const AFTER = [
  '9410  sendmsg(5<UNIX-STREAM:[18737->18736]>, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="\\20", iov_len=168}]}, MSG_NOSIGNAL) = 168',
  '9404  sendto(32<NETLINK:[ROUTE:7204]>, [{nlmsg_len=17, nlmsg_type=RTM_GETADDR}], 17, 0, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 17',
  '9410  connect(18<UDPv6:[18076]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) = 0',
  '9411  connect(20<TCP:[21000]>, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 ECONNREFUSED',
  '9411  write(21<TCPv6:[[::1]:5000->[::1]:6000]>, "x", 1) = 1',
  '9412  write(1<pipe:[555]>, "hello", 5) = 5',
].join('\n');

test('egress trace: DNS and non-loopback traffic are counted; local IPC, loopback and a route lookup without traffic are not', () => {
  const before = parseEgressTrace(BEFORE);
  assert.equal(before.dns.length, 4);
  assert.deepEqual(
    before.outbound.map((a) => `${a.address}:${a.port}`),
    ['10.255.255.53:53', '10.255.255.53:53', '142.250.1.1:443'],
  );
  assert.equal(before.unknownPeer.length, 0, 'the sendto after connect() is attributed to the connected peer');
  assert.ok(attemptsToLeave(before).length >= 5);

  const after = parseEgressTrace(AFTER);
  assert.deepEqual(attemptsToLeave(after), []);
  assert.deepEqual(after.dns, []);
  assert.deepEqual(
    after.routeProbes.map((a) => `${a.transport} ${a.address}:${a.port}`),
    ['udp 2001:4860:4860::8888:443'],
  );
  // The same route lookup followed by a datagram is traffic.
  const sent = parseEgressTrace(`${AFTER}\n9410  sendto(18<UDPv6:[[::]:5353->[2001:4860:4860::8888]:443]>, "x", 1, 0, NULL, 0) = 1`);
  assert.equal(sent.routeProbes.length, 0);
  assert.equal(sent.outbound.length, 1);
  for (const [a, local] of [
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.1', false],
    ['::', false],
    ['0.0.0.0', false],
    ['2001:db8::1', false],
  ] as const)
    assert.equal(isLoopback(a), local, a);
});

test('errors echo at most a 64-character prefix of an over-long run; ordinary messages and paths are kept', () => {
  const id = `ds-${'a'.repeat(1_000_000)}`;
  const capped = capEchoedText(`There is no dataset ${id} in this workspace.`);
  assert.equal(capped, `There is no dataset ${id.slice(0, ECHOED_PREFIX)}… in this workspace.`);
  const path = `/data/${'study-'.repeat(30)}/images`;
  assert.equal(capEchoedText(`No folder at ${path}.`), `No folder at ${path}.`);
  const shape = capErrorEcho({ code: 'not-found', message: `no ${id}`, detail: { id, nested: { list: [id] }, n: 3 } });
  assert.ok(JSON.stringify(shape).length < 500);
  assert.equal(shape.detail?.n, 3);
  assert.deepEqual(capErrorEcho({ code: 'x/y', message: 'short' }), { code: 'x/y', message: 'short' });
});

test('API calls carry application/json (parameters allowed); anything else is refused', () => {
  for (const ok of ['application/json', 'application/json; charset=utf-8', 'Application/JSON']) assert.equal(isJsonContentType(ok), true, ok);
  for (const bad of [
    undefined,
    '',
    'text/plain',
    'text/plain; charset=utf-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonx',
  ])
    assert.equal(isJsonContentType(bad), false, String(bad));
});

test('contract paths: absolute and NUL-free; hub ids and pack ids only where the call takes them', () => {
  for (const ok of ['/data/x.npz', 'C:\\data\\x', 'D:/x', '\\\\server\\share\\x']) assert.equal(AbsolutePath.safeParse(ok).success, true, ok);
  for (const bad of ['', 'x.npz', './x', '../x', 'C:x', '/data/\0x', 'a'.repeat(5000)])
    assert.equal(AbsolutePath.safeParse(bad).success, false, JSON.stringify(bad.slice(0, 20)));
  assert.equal(AbsolutePathOrHubId.safeParse('Qwen/Qwen2-VL-2B').success, true);
  assert.equal(AbsolutePathOrHubId.safeParse('models/x/y').success, false);
  assert.equal(AbsolutePathOrHubId.safeParse('Qwen/Qwen2\0').success, false);
  assert.equal(PackIdOrPath.safeParse('0123abcd'.repeat(8)).success, true);
  assert.equal(PackIdOrPath.safeParse('reference-v1').success, false);
});

test('Chromium switches: names resolve to nothing, requests go to a closed loopback proxy, loopback included', () => {
  assert.ok(CHROMIUM_NO_NETWORK_ARGS.includes('--host-resolver-rules=MAP * ~NOTFOUND'));
  assert.ok(CHROMIUM_NO_NETWORK_ARGS.some((a) => /^--proxy-server=http:\/\/127\.0\.0\.1:\d+$/.test(a)));
  assert.ok(CHROMIUM_NO_NETWORK_ARGS.includes('--proxy-bypass-list=<-loopback>'));
  assert.ok(!CHROMIUM_NO_NETWORK_ARGS.includes('--no-sandbox'));
  const switches = noNetworkSwitches();
  assert.deepEqual(
    switches.find((s) => s.name === 'host-resolver-rules'),
    { name: 'host-resolver-rules', value: 'MAP * ~NOTFOUND' },
  );
  assert.deepEqual(
    switches.find((s) => s.name === 'disable-domain-reliability'),
    { name: 'disable-domain-reliability' },
  );
});

test('Chromium launch order: sandbox and network namespace first; root never asks for the sandbox Chromium refuses', () => {
  assert.deepEqual(launchAttempts('linux', false, true), [
    { sandbox: true, netns: true },
    { sandbox: true, netns: false },
    { sandbox: false, netns: true },
    { sandbox: false, netns: false },
  ]);
  assert.deepEqual(launchAttempts('linux', true, true), [
    { sandbox: false, netns: true },
    { sandbox: false, netns: false },
  ]);
  assert.deepEqual(launchAttempts('darwin', false, true), [
    { sandbox: true, netns: false },
    { sandbox: false, netns: false },
  ]);
  assert.deepEqual(launchAttempts('linux', false, false), [
    { sandbox: true, netns: false },
    { sandbox: false, netns: false },
  ]);
});
