// The benchmark's reference: a bare node:http server that answers every EC2
// request with a fixed body (the bytes localnet itself answered for the same
// Action, captured by bench/api.ts), so the SDK client does identical work
// against both and the ratio isolates what localnet adds.
// Run: node --import tsx bench/api/reference-server.ts BODIES.json PORT
//   BODIES.json: {"DescribeVpcs": "<xml>", "CreateVpc": "<xml>"}; an empty
//   path answers a minimal DescribeVpcs body (for cold-start runs).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [bodiesFile, port = '0'] = process.argv.slice(2);
const MINIMAL = '<?xml version="1.0" encoding="UTF-8"?>\n<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>00000000-0000-0000-0000-000000000000</requestId><vpcSet/></DescribeVpcsResponse>';
const bodies: Record<string, string> = bodiesFile ? JSON.parse(readFileSync(bodiesFile, 'utf8')) : { DescribeVpcs: MINIMAL };

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const action = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('Action') ?? '';
    const body = bodies[action];
    if (body === undefined) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`reference server has no body for ${action}`);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(Number(port), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`);
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => server.close(() => process.exit(0)));
