import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { StdioBackendTransport } from './stdioBackendTransport';

/**
 * A child that counts the reads its stdin gives it and, once it holds `expected` lines, reports
 * them in a notification, with the lines' order.
 */
const COUNTER = `
let reads = 0, text = '';
process.stdin.on('data', (chunk) => {
  reads += 1;
  text += chunk;
  const lines = text.split('\\n').filter(Boolean);
  if (lines.length >= Number(process.argv[1])) {
    const ids = lines.map((l) => JSON.parse(l).params.n);
    process.stdout.write(JSON.stringify({ jsonrpc: '2.0', method: 'report', params: { reads, ids } }) + '\\n');
    text = '';
    reads = 0;
  }
});
`;

async function withCounter(expected: number, run: (t: StdioBackendTransport) => Promise<void>) {
  const transport = new StdioBackendTransport({ command: process.execPath, args: ['-e', COUNTER, String(expected)] });
  const reports: JSONRPCMessage[] = [];
  let got: () => void;
  const reported = new Promise<void>((resolve) => (got = resolve));
  transport.onmessage = (message) => {
    reports.push(message);
    got();
  };
  await transport.start();
  try {
    await run(transport);
    await reported;
    return (reports[0] as unknown as { params: { reads: number; ids: number[] } }).params;
  } finally {
    await transport.close();
  }
}

const note = (n: number) => ({ jsonrpc: '2.0' as const, method: 'notifications/message', params: { n } });

/** Blocks this thread (the whole event loop) for `ms`: time for the child to read what it was sent. */
const block = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

it('writes the messages sent in one turn of the event loop in one write, in order', async () => {
  const { reads, ids } = await withCounter(20, async (t) => {
    const sent = [t.send(note(0))];
    // Uncoalesced, the child would read the first message while this turn goes on.
    block(200);
    for (let n = 1; n < 20; n++) sent.push(t.send(note(n)));
    await Promise.all(sent);
  });
  expect(reads).toBe(1);
  expect(ids).toEqual(Array.from({ length: 20 }, (_, n) => n));
});

it('still sends a message of its own turn at once, and large ones whole', async () => {
  const big = 'x'.repeat(200_000); // past the pipe's buffer: the write waits for drain
  const { ids } = await withCounter(3, async (t) => {
    await t.send(note(0));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await t.send({ ...note(1), params: { n: 1, big } } as never);
    await t.send(note(2));
  });
  expect(ids).toEqual([0, 1, 2]);
});
