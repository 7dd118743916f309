// Reads an `strace -f -yy -e trace=connect,sendto,sendmsg,sendmmsg[,write,writev]` log and lists every network attempt that could
// leave the machine. `-yy` prints each descriptor's socket (`23<UDP:[10.0.0.2:5000->10.0.0.1:53]>`), so a send on a
// connected socket is classified by its peer even when the call itself names no address.
// AF_UNIX and AF_NETLINK are local by construction; AF_INET/AF_INET6 count unless the peer is 127.0.0.0/8 or ::1.

export interface NetworkAttempt {
  pid: number;
  syscall: string;
  /** 'tcp' | 'udp' from the descriptor, or the sockaddr family when the descriptor says nothing. */
  transport: string;
  address: string;
  port: number | null;
  line: string;
}

export interface EgressReport {
  /** Datagrams sent and TCP connects to a non-loopback address: traffic that would leave the machine. */
  outbound: NetworkAttempt[];
  /** Anything to port 53 (DNS), loopback included. */
  dns: NetworkAttempt[];
  /** UDP connect() to a non-loopback address with nothing ever sent on that socket (a route lookup, no packet). */
  routeProbes: NetworkAttempt[];
  /** Sends on an inet socket whose peer the trace does not show (counted as outbound by `attemptsToLeave`). */
  unknownPeer: NetworkAttempt[];
  /** Lines read that involved an inet socket at all (a sanity check that the trace saw the network calls). */
  inetLines: number;
}

// The annotation may itself contain "->" (a connected socket's peer), hence (?:[^>]|->)*.
const SYSCALL = /^(\d+)\s+(connect|sendto|sendmsg|sendmmsg|write|writev)\((\d+)(<(?:->|[^>])*>)?[,)]/;

export function isLoopback(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (/^127\.\d+\.\d+\.\d+$/.test(a)) return true;
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return mapped ? isLoopback(mapped[1] as string) : false;
}

/** The address a call names explicitly (connect's sockaddr, sendto's or sendmsg's msg_name), if it is an inet one. */
function namedAddress(line: string): { family: string; address: string; port: number } | null {
  const v4 = /sa_family=AF_INET, sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]+)"\)/.exec(line);
  if (v4) return { family: 'inet', address: v4[2] as string, port: Number(v4[1]) };
  const v6 = /sa_family=AF_INET6, sin6_port=htons\((\d+)\),.*?inet_pton\(AF_INET6, "([^"]+)"/.exec(line);
  if (v6) return { family: 'inet6', address: v6[2] as string, port: Number(v6[1]) };
  return null;
}

/** The peer from a `-yy` descriptor annotation: `<UDP:[a:p->b:q]>`, `<TCPv6:[[::1]:p->[::1]:q]>`. */
function descriptorPeer(annotation: string): { transport: string; address: string; port: number } | null {
  const m = /^<(TCP|UDP)(v6)?:\[(.*)\]>$/.exec(annotation);
  if (!m) return null;
  const arrow = (m[3] as string).split('->');
  if (arrow.length !== 2) return null;
  const peer = arrow[1] as string;
  const colon = peer.lastIndexOf(':');
  return { transport: (m[1] as string).toLowerCase(), address: peer.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(peer.slice(colon + 1)) };
}

function transportOf(annotation: string | undefined): string | null {
  const m = annotation ? /^<(TCP|UDP|UNIX|NETLINK|RAW|PING)/.exec(annotation) : null;
  return m ? (m[1] as string).toLowerCase() : null;
}

export function parseEgressTrace(text: string): EgressReport {
  const report: EgressReport = { outbound: [], dns: [], routeProbes: [], unknownPeer: [], inetLines: 0 };
  // UDP connects waiting to see whether anything is sent on the same (pid, fd) before it is reused.
  const pendingUdpConnects = new Map<string, NetworkAttempt>();
  const sentOn = new Set<string>();
  const connectedTo = new Map<string, { address: string; port: number }>();
  for (const line of text.split('\n')) {
    const m = SYSCALL.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    const syscall = m[2] as string;
    const fd = m[3] as string;
    const annotation = m[4];
    const transport = transportOf(annotation);
    if (transport === 'unix' || transport === 'netlink') continue;
    const named = namedAddress(line);
    const peer = annotation ? descriptorPeer(annotation) : null;
    if (!named && !peer && transport !== 'tcp' && transport !== 'udp') continue;
    report.inetLines++;
    const key = `${pid}:${fd}`;
    // A send that names no address goes to the socket's peer: from the annotation, else from its last connect().
    const target = named ?? peer ?? (syscall !== 'connect' ? (connectedTo.get(key) ?? null) : null);
    if (syscall === 'connect' && named) connectedTo.set(key, named);
    const attempt: NetworkAttempt = {
      pid,
      syscall,
      transport: transport ?? named?.family ?? 'inet',
      address: target?.address ?? '?',
      port: target?.port ?? null,
      line: line.slice(0, 300),
    };
    if (attempt.port === 53) report.dns.push(attempt);
    if (syscall !== 'connect') sentOn.add(key);
    if (!target) {
      report.unknownPeer.push(attempt);
      continue;
    }
    if (isLoopback(target.address)) continue;
    if (syscall === 'connect' && transport === 'udp') {
      // A UDP connect() only picks a route; it becomes traffic if something is sent on the socket afterwards.
      const previous = pendingUdpConnects.get(key);
      if (previous && !sentOn.has(key)) report.routeProbes.push(previous);
      pendingUdpConnects.set(key, attempt);
      sentOn.delete(key);
      continue;
    }
    report.outbound.push(attempt);
  }
  for (const [key, attempt] of pendingUdpConnects) if (!sentOn.has(key)) report.routeProbes.push(attempt);
  return report;
}

/** Every attempt that could put a packet on a non-loopback network (DNS included), for one assertion. */
export function attemptsToLeave(report: EgressReport): NetworkAttempt[] {
  return [...report.outbound, ...report.dns.filter((a) => !report.outbound.includes(a)), ...report.unknownPeer];
}
