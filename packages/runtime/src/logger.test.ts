import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import { BatchedStderrTransport, createLogger, LOG_FLUSH_CHARS, LOG_FLUSH_INTERVAL_MS } from './logger';

/** A stream that records each write it is given. */
function recorder(): { out: Writable; writes: string[] } {
  const writes: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push(chunk.toString());
      callback();
    },
  });
  return { out, writes };
}

/** A JSON-lines winston logger writing through a BatchedStderrTransport into a recorder. */
function batchedLogger(level: string): { logger: winston.Logger; writes: string[] } {
  const { out, writes } = recorder();
  const logger = winston.createLogger({
    level,
    format: winston.format.json(),
    transports: [new BatchedStderrTransport(out)],
  });
  return { logger, writes };
}

/** The messages of the JSON lines written so far. */
const messages = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => (JSON.parse(line) as { message: string }).message);

describe('BatchedStderrTransport', () => {
  it('writes the lines of one interval in one write, in order', async () => {
    // The interval's clock is jest's: on a loaded machine a real 10 ms could pass between two lines
    // of one turn and the next, and the test would see two intervals where it means one.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const { logger, writes } = batchedLogger('debug');
    try {
      logger.info('one');
      logger.debug('two');
      await new Promise((resolve) => setImmediate(resolve));
      logger.info('three');
      expect(writes).toEqual([]);
      jest.advanceTimersByTime(LOG_FLUSH_INTERVAL_MS * 3);
      expect(writes).toHaveLength(1);
      expect(messages(writes[0]!)).toEqual(['one', 'two', 'three']);
      logger.info('four');
      jest.advanceTimersByTime(LOG_FLUSH_INTERVAL_MS * 3);
      expect(writes).toHaveLength(2);
    } finally {
      logger.close();
      jest.useRealTimers();
    }
  });

  it('writes at once when the waiting lines grow large', () => {
    const { logger, writes } = batchedLogger('info');
    try {
      const text = 'x'.repeat(1024);
      for (let i = 0; i * text.length < LOG_FLUSH_CHARS; i++) logger.info(text);
      expect(writes).toHaveLength(1);
      expect(writes[0]!.length).toBeGreaterThanOrEqual(LOG_FLUSH_CHARS);
    } finally {
      logger.close();
    }
  });

  it('writes an error or warning at once, after what waited before it', () => {
    const { logger, writes } = batchedLogger('info');
    try {
      logger.info('before');
      logger.error('broken');
      expect(messages(writes.join(''))).toEqual(['before', 'broken']);
      logger.warn('careful');
      expect(writes.join('')).toContain('careful');
    } finally {
      logger.close();
    }
  });

  it('writes what is waiting when the process exits', () => {
    // A real process (the built logger: tests run after the build) that logs and exits in the same
    // turn: the line must still reach stderr.
    const script = `
      const { createLogger } = require(${JSON.stringify(join(__dirname, '..', 'dist', 'logger.js'))});
      const logger = createLogger({ level: 'info', format: 'json' });
      logger.info('last words', { n: 1 });
      process.exit(0);
    `;
    const res = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stderr.trim())).toMatchObject({ level: 'info', message: 'last words', n: 1 });
  });

  it('is what createLogger writes through', () => {
    const logger = createLogger({ level: 'info', format: 'json' }) as unknown as winston.Logger;
    try {
      expect(logger.transports).toEqual([expect.any(BatchedStderrTransport)]);
    } finally {
      logger.close();
    }
  });
});
