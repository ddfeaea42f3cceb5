// Minimal raw DNS clients for the server tests (loopback only, bounded waits).
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket, { type Answer, type Packet } from 'dns-packet';

export function query(name: string, type: string, opts: { id?: number; edns?: number } = {}): Buffer {
  const additionals = opts.edns ? [{ name: '.', type: 'OPT', udpPayloadSize: opts.edns, flags: 0, options: [] } as unknown as Answer] : [];
  return dnsPacket.encode({ id: opts.id ?? 4242, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: type as 'A', class: 'IN' }], additionals });
}

/** Sends one datagram and waits (at most timeoutMs) for one reply. */
export function udpExchange(address: string, port: number, msg: Buffer, timeoutMs = 1000): Promise<Buffer | undefined> {
  const sock = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
  return new Promise((resolve) => {
    const timer = setTimeout(() => { sock.close(); resolve(undefined); }, timeoutMs);
    sock.on('message', (m) => { clearTimeout(timer); sock.close(); resolve(m); });
    sock.send(msg, port, address);
  });
}

export async function udpAsk(address: string, port: number, name: string, type: string, opts: { edns?: number } = {}): Promise<Packet> {
  const r = await udpExchange(address, port, query(name, type, opts));
  if (!r) throw new Error(`no UDP answer from ${address}:${port} for ${name} ${type}`);
  return dnsPacket.decode(r);
}

/** Sends length-framed messages over one TCP connection and collects the framed replies. */
export function tcpExchange(address: string, port: number, msgs: Buffer[], expect = msgs.length, timeoutMs = 2000): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    let pending: Buffer = Buffer.alloc(0);
    const c = net.connect(port, address);
    const timer = setTimeout(() => { c.destroy(); resolve(out); }, timeoutMs);
    c.on('error', (e) => { clearTimeout(timer); reject(e); });
    c.on('close', () => { clearTimeout(timer); resolve(out); });
    c.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        out.push(pending.subarray(2, 2 + pending.readUInt16BE(0)));
        pending = pending.subarray(2 + pending.readUInt16BE(0));
      }
      if (out.length >= expect) { clearTimeout(timer); c.end(); resolve(out); }
    });
    c.on('connect', () => {
      for (const m of msgs) {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(m.length);
        c.write(Buffer.concat([len, m]));
      }
    });
  });
}

export const rcode = (p: Packet) => ((p.flags ?? 0) & 0xf);
