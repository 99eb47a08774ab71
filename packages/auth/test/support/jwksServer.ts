/** A real JWKS endpoint on a free port, with keys made by jose, for the JWT tests. */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** One signing key and its public JWK. */
export interface TestKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

/** A key pair for `alg`, published under `kid`. */
export async function makeKey(kid: string, alg = 'ES256'): Promise<TestKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** A token signed with `key`; `exp` defaults to an hour from now. */
export function signWith(key: TestKey, claims: JWTPayload): Promise<string> {
  return new SignJWT({ exp: Math.floor(Date.now() / 1000) + 3600, ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .sign(key.privateKey);
}

/** A running JWKS server. */
export interface JwksServer {
  url: string;
  /** Keys served from now on. */
  keys: TestKey[];
  /** How many key-set requests arrived. */
  requests: number;
  /** When true, requests are accepted but never answered. */
  hang: boolean;
  close(): Promise<void>;
}

/** Starts a JWKS server on a free port serving `keys` at `/jwks.json`. */
export async function startJwksServer(keys: TestKey[]): Promise<JwksServer> {
  const state = { keys, requests: 0, hang: false };
  const server: Server = createServer((req, res) => {
    state.requests++;
    if (state.hang) return;
    if (req.url !== '/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: state.keys.map((key) => key.jwk) }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/jwks.json`,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  });
}

/** A URL on a port where nothing listens (a server was there a moment ago). */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return `http://127.0.0.1:${port}/jwks.json`;
}
