/**
 * Runs the real `only1mcp` bin (the bundle package.json's `bin` names) as a user would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport as SseTransportV1 } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { parse as parseYaml } from 'yaml';
import {
  appBin,
  endProcess,
  fixtureServerCommand,
  isRunning,
  onFreePort,
  startRedis,
  untilWritten,
} from '@only1mcp/test-utils';
import { stringify as toYaml } from 'yaml';
import { createServer, type AddressInfo } from 'node:net';
import { VERSION } from '../src/version';

const BIN = appBin('@only1mcp/gateway');
const TEMPLATES = join(__dirname, '..', '..', '..', 'config', 'templates');

function only1mcp(args: string[], env: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env },
    cwd: tmpdir(),
    timeout: 60_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'only1mcp-cli-')), name);
  writeFileSync(file, text);
  return file;
}

describe('only1mcp CLI', () => {
  it('--version and --help work on the program and on every command', () => {
    expect(only1mcp(['--version'])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    const help = only1mcp(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['start', 'stdio', 'validate', 'config', 'import']) expect(help.stdout).toContain(command);
    for (const command of [
      ['validate'],
      ['import'],
      ['start'],
      ['stdio'],
      ['config'],
      ['config', 'schema'],
      ['config', 'generate'],
    ]) {
      expect(only1mcp([...command, '--help'])).toMatchObject({
        code: 0,
        stdout: expect.stringContaining(`Usage: only1mcp ${command.join(' ')}`),
      });
      expect(only1mcp([...command, '--version'])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    }
  });

  it('exits 2 on a command line it does not understand', () => {
    expect(only1mcp(['launch'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("unknown command 'launch'"),
    });
    expect(only1mcp(['validate', '--frobnicate'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("unknown option '--frobnicate'"),
    });
    expect(only1mcp(['config', 'generate', '--template', 'huge'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Allowed choices are solo, team, enterprise'),
    });
  });

  describe('validate', () => {
    it('prints a summary of a valid file and exits 0', () => {
      const res = only1mcp(['validate', join(TEMPLATES, 'solo.yaml')]);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain('solo.yaml: valid');
      expect(res.stdout).toMatch(/listen\s+127\.0\.0\.1:8080/);
      expect(res.stdout).toMatch(/everything\s+stdio\s+1\s+yes\s+mcp-server-everything stdio/);
      expect(res.stdout.split('\n').length).toBeLessThan(25);
    });

    it('prints every problem, without a stack trace, and exits 1', () => {
      const file = tempFile('bad.yaml', 'server:\n  port: 0\nservers:\n  - id: A\n    transport: stdio\n');
      const res = only1mcp(['validate', file]);
      expect(res.code).toBe(1);
      expect(res.stdout).toBe('');
      expect(res.stderr).toContain(`Invalid configuration in ${file} (3 problems):`);
      expect(res.stderr).toContain(`${file}:2:9 server.port: must be between 1 and 65535`);
      expect(res.stderr).toContain('servers[0].command: is required');
      expect(res.stderr).toContain('servers[0].id: "A" is not a valid id');
      expect(res.stderr).not.toMatch(/\n\s+at /);
    });

    it("words zod's own problems in English (the bundle keeps zod's English locale alone)", () => {
      const file = tempFile('union.yaml', 'server:\n  max_body_size: []\n');
      const res = only1mcp(['validate', file]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`${file}:2:18 server.max_body_size: is not valid: Invalid input`);
    });

    it('finds the file through ONLY1MCP_CONFIG and lists where it looked when there is none', () => {
      expect(only1mcp(['validate'], { ONLY1MCP_CONFIG: join(TEMPLATES, 'solo.yaml') }).code).toBe(0);
      const res = only1mcp(['validate']);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('No configuration file found. Looked in:');
      expect(res.stderr).toContain('/etc/only1mcp/config.yaml');
    });

    it('applies ONLY1MCP_ overrides', () => {
      const res = only1mcp(['validate', join(TEMPLATES, 'solo.yaml')], { ONLY1MCP_SERVER__PORT: '9191' });
      expect(res.stdout).toMatch(/listen\s+127\.0\.0\.1:9191/);
    });
  });

  describe('config', () => {
    it('schema prints a JSON Schema', () => {
      const res = only1mcp(['config', 'schema']);
      expect(res.code).toBe(0);
      const schema = JSON.parse(res.stdout) as { title: string; properties: Record<string, unknown> };
      expect(schema.title).toBe('Only1MCP configuration');
      expect(Object.keys(schema.properties)).toContain('servers');
    });

    it.each(['solo', 'team', 'enterprise'])('generate --template %s prints a template that validates', (name) => {
      const res = only1mcp(['config', 'generate', '--template', name]);
      expect(res.code).toBe(0);
      const file = tempFile(`${name}.yaml`, res.stdout);
      expect(only1mcp(['validate', file], { JWT_SECRET: 'k'.repeat(32), GITHUB_TOKEN: 'g' }).code).toBe(0);
    });
  });

  describe('import', () => {
    it('prints YAML on stdout and what it dropped on stderr', () => {
      const file = tempFile(
        'claude_desktop_config.json',
        JSON.stringify({
          mcpServers: {
            fs: { command: 'npx', args: ['-y', 'server-filesystem', '/tmp'] },
            web: { url: 'https://example.com/mcp', autoApprove: [] },
          },
        }),
      );
      const res = only1mcp(['import', file]);
      expect(res.code).toBe(0);
      const yaml = parseYaml(res.stdout) as { servers: { id: string; transport: string }[] };
      expect(yaml.servers.map((s) => [s.id, s.transport])).toEqual([
        ['fs', 'stdio'],
        ['web', 'http'],
      ]);
      expect(res.stderr).toContain('warning: "web": "autoApprove" has no Only1MCP equivalent');
      expect(only1mcp(['validate', tempFile('imported.yaml', res.stdout)]).code).toBe(0);
    });

    it('fails clearly on a missing or unreadable file', () => {
      expect(only1mcp(['import', '/nonexistent.json'])).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('cannot read /nonexistent.json: ENOENT'),
      });
      expect(only1mcp(['import', tempFile('x.json', '{"a": 1}')])).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('no "mcpServers"'),
      });
    });
  });

  it('stdio writes nothing but protocol to stdout, warns that rate_limit is not applied, and exits 0 when stdin closes', () => {
    // A disabled backend starts no process; spawnSync closes stdin at once, as a client that goes away would.
    const file = tempFile(
      'stdio.yaml',
      'servers:\n  - id: off\n    transport: stdio\n    command: does-not-exist\n    enabled: false\nrate_limit: {requests_per_second: 1, burst: 1}\n',
    );
    const res = only1mcp(['stdio', '--config', file]);
    expect(res).toMatchObject({ code: 0, stdout: '' });
    expect(res.stderr).toContain('rate_limit configured but not applied by the stdio front');
  });

  it('stdio reports an invalid configuration and exits 1', () => {
    expect(only1mcp(['stdio', '--config', '/nonexistent.yaml'])).toMatchObject({ code: 1, stdout: '' });
  });

  it('start refuses to serve a non-loopback address without authentication, naming the ways out', () => {
    const file = tempFile(
      'open.yaml',
      toYaml({ server: { host: '0.0.0.0' }, servers: [{ id: 'fx', transport: 'stdio', ...fixtureServerCommand() }] }),
    );
    const res = only1mcp(['start', '--config', file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('refusing to serve 0.0.0.0 without authentication');
    expect(res.stderr).toContain('server.allow_unauthenticated');
  });

  it('start hands back start-up memory once it serves, lets V8 favour memory once quiet, and says so at debug level', async () => {
    let child: ChildProcess | undefined;
    try {
      // Another port when a parallel test took the one chosen before the gateway bound it.
      const { compacted, quiet, output } = await onFreePort((port) => {
        const config = tempFile(
          'debug.yaml',
          toYaml({
            server: { port },
            logging: { level: 'debug' },
            servers: [{ id: 'fixture', transport: 'stdio', ...fixtureServerCommand({ label: 'cli-compact' }) }],
          }),
        );
        const started = spawn(process.execPath, [BIN, 'start', '--config', config], {
          env: { PATH: process.env.PATH ?? '', HOME: tmpdir() },
          cwd: tmpdir(),
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        child = started;
        type Line = Record<string, unknown>;
        return new Promise<{ compacted: Line; quiet: Line; output: string }>((resolve, reject) => {
          let text = '';
          const lineWith = (message: string) => {
            const found = text.split('\n').find((l) => l.includes(message));
            return found === undefined ? undefined : (JSON.parse(found) as Line);
          };
          started.stderr.setEncoding('utf8').on('data', (chunk: string) => {
            text += chunk;
            const compacted = lineWith('start-up memory handed back');
            // Ten seconds of quiet after it started (packages/runtime/src/quietMemory.ts).
            const quiet = lineWith('heap favours memory: the process is quiet');
            if (compacted && quiet) resolve({ compacted, quiet, output: text });
          });
          started.once('exit', (code) => reject(new Error(`exited ${code} before the lines: ${text}`)));
        });
      });
      expect(compacted).toMatchObject({ level: 'debug', pauseMs: expect.any(Number) });
      // Its young generation alone is 32 MiB when start-up ends, nearly all of it empty.
      expect(compacted.rssAfterMiB as number).toBeLessThan(compacted.rssBeforeMiB as number);
      expect(quiet).toMatchObject({ level: 'debug', quietMs: expect.any(Number) });
      expect(quiet.quietMs as number).toBeGreaterThanOrEqual(10_000);
      // V8 knew the flag: it reports one it does not know on stderr.
      expect(output).not.toMatch(/unrecognized flag/);
    } finally {
      if (child && isRunning(child)) await endProcess(child);
    }
  }, 40_000);

  it('start runs from its one bundled file: serving every client generation with Redis loads only ioredis besides', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'only1mcp-bundle-'));
    const modulesFile = join(dir, 'modules.json');
    const preload = join(dir, 'recordModules.js');
    // At exit, every module the process loaded from a file (Node's own modules are not files).
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(modulesFile)}, JSON.stringify(Object.keys(require.cache))));`,
    );
    const redis = await startRedis();
    let child: ChildProcess | undefined;
    let exited: Promise<number | null> | undefined;
    // Closed however the test ends: a legacy SSE client left open reconnects for ever, and jest never exits.
    const clients: { close(): Promise<void> }[] = [];
    try {
      // Another port when a parallel test took the one chosen before the gateway bound it.
      const port = await onFreePort(async (port) => {
        const config = tempFile(
          'bundle.yaml',
          toYaml({
            server: { port },
            redis: { url: redis.url },
            servers: [{ id: 'fx', transport: 'stdio', ...fixtureServerCommand({ label: 'cli-bundle' }) }],
          }),
        );
        // No NODE_PATH (pnpm's scripts set one): the on-demand libraries must be the app's own dependencies.
        const started = spawn(process.execPath, ['--require', preload, BIN, 'start', '--config', config], {
          env: { PATH: process.env.PATH ?? '', HOME: tmpdir() },
          cwd: tmpdir(),
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        child = started;
        let stderr = '';
        started.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        exited = new Promise<number | null>((resolve) => started.once('exit', resolve));
        await untilWritten(started, () => stderr, 'serving MCP on');
        return port;
      });
      const base = `http://127.0.0.1:${port}`;
      const current = new ClientV2({ name: 'bundle-current', version: '1.0.0' });
      const older = new ClientV1({ name: 'bundle-2025', version: '1.0.0' });
      const legacy = new ClientV1({ name: 'bundle-sse', version: '1.0.0' });
      clients.push(current, older, legacy);
      await current.connect(new TransportV2(new URL(`${base}/mcp`)));
      await older.connect(new TransportV1(new URL(`${base}/mcp`)));
      await legacy.connect(new SseTransportV1(new URL(`${base}/sse`)));
      for (const client of [current, older, legacy]) {
        expect((await client.listTools()).tools.map((t) => t.name)).toContain('fx__echo');
        const result = await client.callTool({ name: 'fx__echo', arguments: { message: 'bundled' } });
        expect(JSON.stringify(result.content)).toContain('bundled');
      }
      // The bundle leaves iconv-lite's other charsets out (tooling/bundle/bundle.mjs, STUBBED): a
      // JSON body in any but UTF-* is refused before it is decoded, and UTF-16 is still read.
      const call = JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'fx__echo', arguments: { message: 'charset' } },
      });
      const post = (charset: string, body: string | Buffer) =>
        fetch(`${base}/mcp`, {
          method: 'POST',
          headers: {
            'content-type': `application/json; charset=${charset}`,
            accept: 'application/json, text/event-stream',
            'mcp-protocol-version': '2025-11-25',
          },
          body,
        });
      const refused = await post('shift_jis', call);
      expect(refused.status).toBe(415);
      expect(await refused.json()).toMatchObject({
        error: { message: 'Invalid request: unsupported charset "SHIFT_JIS"' },
      });
      const utf16 = await post('utf-16le', Buffer.from(call, 'utf16le'));
      expect(utf16.status).toBe(200);
      expect(await utf16.text()).toContain('charset');
    } finally {
      await Promise.allSettled(clients.map((client) => client.close()));
      child?.kill('SIGTERM');
      await redis.stop();
    }
    expect(await exited).toBe(0);
    const loaded = JSON.parse(readFileSync(modulesFile, 'utf8')) as string[];
    expect(loaded).toContain(BIN);
    // Everything else: ioredis (loaded on demand, outside the bundle) and the packages it requires.
    const outside = loaded.filter((file) => file !== BIN && file !== preload);
    const packages = new Set(outside.map((file) => /.*node_modules[/]((?:@[^/]+[/])?[^/]+)/.exec(file)?.[1]));
    expect(packages).toContain('ioredis');
    expect(packages).not.toContain(undefined);
    for (const bundled of [
      'express',
      'zod',
      'winston',
      'yaml',
      '@modelcontextprotocol/server',
      '@modelcontextprotocol/sdk',
    ]) {
      expect(packages).not.toContain(bundled);
    }
  }, 60_000);

  it('start rejects a bad --port as a usage error', () => {
    expect(only1mcp(['start', '--port', '99999'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('must be a whole number from 1 to 65535'),
    });
  });

  it('start says plainly when its port is taken, stops its backends and exits 1', async () => {
    // The port is the blocker's own: picked by the system as it binds, nobody can take it first.
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const config = tempFile(
        'c.yaml',
        toYaml({
          server: { port },
          servers: [{ id: 'fixture', transport: 'stdio', ...fixtureServerCommand({ label: 'cli-port' }) }],
        }),
      );
      const res = only1mcp(['start', '--config', config]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`cannot listen on 127.0.0.1:${port}: the port is in use`);
    } finally {
      blocker.close();
    }
  });
});
