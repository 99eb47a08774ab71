/**
 * What a benchmark drives, as a serialisable spec (it crosses into the load-generator process),
 * and the one place a spec becomes the request each client repeats.
 */
import { silentLogger, Registry } from '@only1mcp/registry';
import { benchConfig, ECHO_TOOL, EVERYTHING_COMMAND, HTTP_ECHO_TOOL } from './benchConfig';
import {
  closeSession,
  currentToolsCall,
  isResult,
  isResultFor,
  JsonRpcHttpClient,
  openSession,
  sessionHeaders,
  toolsCallBody,
} from './jsonRpcHttpClient';
import { LegacySseClient } from './legacySseClient';
import type { CallFn } from './loadGenerator';
import { startStdioRpc } from './stdioRpc';

/** A target of `tools/call echo`. */
export type TargetSpec =
  /** Plain POST, no session, no Accept (what curl sends), of `tool` (default: the reference server's echo through the gateway). */
  | { kind: 'http-plain'; url: string; tool?: string }
  /** A stateless POST as an SDK client sends it (both media types in Accept, a protocol version): an SDK server's own cost. */
  | { kind: 'http-stateless'; url: string; tool: string }
  /** A 2025-11-25 Streamable HTTP session per client, calling `tool` (default: the reference server's echo through the gateway). */
  | { kind: 'http-session'; url: string; tool?: string }
  /** A current-protocol (2026-07-28) stateless request of `tool` (default: the reference server's echo), as an SDK v2 client sends it. */
  | { kind: 'http-current'; url: string; tool?: string }
  /** A 2024-11-05 HTTP+SSE session per client (`url` is the gateway's `/sse`), calling `tool`. */
  | { kind: 'sse'; url: string; tool: string }
  /** The gateway's Registry called in process (SDK client + stdio backend, or the HTTP backend at `url`; no front). */
  | { kind: 'registry'; url?: string }
  /** The backend over stdio with a bare JSON-RPC client (the backend's own cost). */
  | { kind: 'stdio' };

/** A ready target: the request to repeat and how to release what it holds. */
export interface Target {
  call: CallFn;
  close(): Promise<void>;
}

const ARGS = { message: 'bench' };

/** Connects to (or starts) what `spec` names, ready for `concurrency` clients. */
export async function createTarget(spec: TargetSpec, concurrency: number): Promise<Target> {
  let nextId = 1;
  switch (spec.kind) {
    case 'http-plain':
    case 'http-stateless': {
      const http = new JsonRpcHttpClient({ url: spec.url, maxSockets: concurrency });
      const headers = spec.kind === 'http-plain' ? { 'content-type': 'application/json' } : sessionHeaders();
      const tool = spec.tool ?? ECHO_TOOL.public;
      return {
        call: async () => {
          const id = nextId++;
          return isResultFor(await http.send('POST', toolsCallBody(id, tool, ARGS), headers), id);
        },
        close: async () => http.close(),
      };
    }
    case 'http-current': {
      const http = new JsonRpcHttpClient({ url: spec.url, maxSockets: concurrency });
      return {
        call: async () => {
          const id = nextId++;
          const { headers, body } = currentToolsCall(id, spec.tool ?? ECHO_TOOL.public, ARGS);
          return isResultFor(await http.send('POST', body, headers), id);
        },
        close: async () => http.close(),
      };
    }
    case 'sse': {
      const clients = await Promise.all(
        Array.from({ length: concurrency }, (_, i) => LegacySseClient.open(spec.url, `bench-sse-${i}`)),
      );
      return {
        call: async (client) => {
          const id = nextId++;
          return isResult(await clients[client]!.request(id, toolsCallBody(id, spec.tool, ARGS)), id);
        },
        close: async () => {
          for (const client of clients) client.close();
        },
      };
    }
    case 'http-session': {
      const http = new JsonRpcHttpClient({ url: spec.url, maxSockets: concurrency });
      const sessions = await Promise.all(
        Array.from({ length: concurrency }, (_, i) => openSession(http, `bench-${i}`)),
      );
      const headers = sessions.map((id) => sessionHeaders(id));
      const tool = spec.tool ?? ECHO_TOOL.public;
      return {
        call: async (client) => {
          const id = nextId++;
          return isResultFor(await http.send('POST', toolsCallBody(id, tool, ARGS), headers[client]!), id);
        },
        close: async () => {
          await Promise.all(sessions.map((id) => closeSession(http, id)));
          http.close();
        },
      };
    }
    case 'registry': {
      const backend = spec.url === undefined ? undefined : ({ kind: 'http', url: spec.url } as const);
      const registry = new Registry(benchConfig(backend), { logger: silentLogger });
      const name = backend ? HTTP_ECHO_TOOL.public : ECHO_TOOL.public;
      await registry.start();
      return {
        call: async () => {
          const result = (await registry.callTool({ name, arguments: ARGS })) as {
            content?: unknown;
          };
          return Array.isArray(result.content);
        },
        close: () => registry.stop(),
      };
    }
    case 'stdio': {
      const rpc = await startStdioRpc(EVERYTHING_COMMAND.command, EVERYTHING_COMMAND.args);
      return {
        call: async () => {
          const reply = await rpc.request('tools/call', { name: ECHO_TOOL.backend, arguments: ARGS });
          return reply.result !== undefined && reply.error === undefined;
        },
        close: () => rpc.close(),
      };
    }
  }
}
