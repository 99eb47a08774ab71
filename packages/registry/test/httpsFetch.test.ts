/**
 * httpFetch over TLS: the certificate is verified as Node's fetch verifies it (the system's CAs
 * plus NODE_EXTRA_CA_CERTS, read at process start, hence the child process).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { httpFetch } from '../src/httpFetch';

const CERT = join(__dirname, 'fixtures', 'localhost-cert.pem');
const KEY = join(__dirname, 'fixtures', 'localhost-key.pem');

let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer({ key: readFileSync(KEY), cert: readFileSync(CERT) }, (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => res.end(JSON.stringify({ method: req.method, body })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it('refuses a certificate no trusted CA signed, as fetch does', async () => {
  const err = (await httpFetch(url, { method: 'POST', body: 'x' }).catch((e: unknown) => e)) as TypeError;
  expect(err.message).toBe('fetch failed');
  expect((err.cause as { code?: string }).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
});

it('talks TLS to a server whose CA is trusted (NODE_EXTRA_CA_CERTS)', async () => {
  // The built module, in a process that starts with the extra CA.
  const script = `
    const { httpFetch } = require(${JSON.stringify(join(__dirname, '..', 'dist', 'httpFetch.js'))});
    httpFetch(${JSON.stringify(url)}, { method: 'POST', body: 'over tls' })
      .then(async (res) => console.log(res.status, await res.text()))
      .catch((err) => { console.log('failed', err.cause?.code ?? err.message); process.exitCode = 1; });`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: CERT },
  });
  expect(stdout.trim()).toBe('200 {"method":"POST","body":"over tls"}');
});
