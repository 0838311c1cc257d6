/**
 * Test support for the checks tests (not used by the server): a real snmpd with a generated
 * configuration, a tiny authoritative DNS server on UDP, a self-signed certificate, a TCP server
 * that accepts and never answers.
 */
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import snmp from 'net-snmp';
import { freePort, PEERS, startPeer, type Peer } from '../../../test/peers.js';

export const SNMP = { community: 'yw-test-ro', user: 'ywcheck', authPassword: 'auth-secret-1', privPassword: 'priv-secret-1' } as const;

/** A free UDP port on 127.0.0.1. */
export async function freeUdpPort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await freePort();
    const free = await new Promise<boolean>((resolve) => {
      const socket = dgram.createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (free) {
      return port;
    }
  }
  throw new Error('no free UDP port');
}

function snmpAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const session = snmp.createSession('127.0.0.1', SNMP.community, { port, version: snmp.Version2c, retries: 0, timeout: 500 });
    session.on('error', () => undefined);
    session.get(['1.3.6.1.2.1.1.5.0'], (error) => {
      session.close();
      resolve(!error);
    });
  });
}

/**
 * snmpd in the foreground on 127.0.0.1:`port` with a v2c community and a v3 user (SHA + AES,
 * authPriv), its state in a temporary directory; works as root (it is told not to drop privileges
 * to a user that may not exist) and as any user.
 */
export async function startSnmpd(port: number): Promise<Peer & { dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'yw-snmpd-'));
  const conf = path.join(dir, 'snmpd.conf');
  writeFileSync(
    conf,
    [
      `rocommunity ${SNMP.community} 127.0.0.1`,
      `createUser ${SNMP.user} SHA "${SNMP.authPassword}" AES "${SNMP.privPassword}"`,
      `rouser ${SNMP.user} priv`,
      'view all included .1',
      `persistentDir ${dir}`,
      '',
    ].join('\n'),
  );
  // -C: this configuration only; -f: foreground; -Lo: log to stdout (kept for failure messages).
  const peer = await startPeer(PEERS.snmpd.binary, ['-f', '-Lo', '-C', '-c', conf, '-p', path.join(dir, 'snmpd.pid'), `udp:127.0.0.1:${port}`], () => snmpAnswers(port), 20_000);
  return {
    ...peer,
    dir,
    async stop() {
      await peer.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A self-signed certificate for `localhost` valid `days` days, made by the openssl CLI. */
export function selfSignedCertificate(days: number): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'yw-cert-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(PEERS.openssl.binary, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', String(days), '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * An authoritative DNS server on 127.0.0.1 UDP that knows A records (name → IPv4) and says NXDOMAIN
 * for everything else (RFC 1035 wire format, one question per query).
 */
export async function startDnsServer(records: Record<string, string>): Promise<{ port: number; close(): Promise<void> }> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (query, peer) => {
    if (query.length < 12) {
      return;
    }
    let offset = 12;
    const labels: string[] = [];
    while (offset < query.length && query[offset] !== 0) {
      const len = query[offset]!;
      labels.push(query.subarray(offset + 1, offset + 1 + len).toString('ascii'));
      offset += len + 1;
    }
    const questionEnd = offset + 5; // zero byte + QTYPE + QCLASS
    const qtype = query.readUInt16BE(offset + 1);
    const address = records[labels.join('.').toLowerCase()];
    const answer = address !== undefined && qtype === 1;
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0); // id
    header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | (address === undefined ? 3 : 0), 2); // QR, AA, RD copied, rcode
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answer ? 1 : 0, 6);
    const parts = [header, query.subarray(12, questionEnd)];
    if (answer) {
      const rr = Buffer.alloc(16);
      rr.writeUInt16BE(0xc00c, 0); // name: pointer to the question
      rr.writeUInt16BE(1, 2); // A
      rr.writeUInt16BE(1, 4); // IN
      rr.writeUInt32BE(60, 6); // TTL
      rr.writeUInt16BE(4, 10);
      address.split('.').forEach((octet, i) => rr.writeUInt8(Number(octet), 12 + i));
      parts.push(rr);
    }
    socket.send(Buffer.concat(parts), peer.port, peer.address);
  });
  const port = await freeUdpPort();
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
  return { port, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}

/** A TCP server that accepts connections and never says a word (a hanging HTTP service). */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) {
          s.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
