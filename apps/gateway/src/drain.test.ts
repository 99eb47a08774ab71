import express from 'express';
import supertest from 'supertest';
import { Drain } from './drain';

describe('Drain', () => {
  it('waits for calls in flight, then resolves', async () => {
    const drain = new Drain();
    let release!: () => void;
    const call = drain.track(() => new Promise<string>((resolve) => (release = () => resolve('done'))));
    expect(drain.inFlight).toBe(1);
    let drained = false;
    const stopping = drain.start(60_000).then(() => (drained = true));
    await new Promise((r) => setImmediate(r));
    expect(drained).toBe(false);
    release();
    await expect(call).resolves.toBe('done');
    await stopping;
    expect(drain.inFlight).toBe(0);
  });

  it('gives up waiting after the timeout', async () => {
    const drain = new Drain();
    void drain.track(() => new Promise(() => undefined));
    await drain.start(10);
    expect(drain.inFlight).toBe(1);
    expect(drain.isDraining).toBe(true);
  });

  it('counts a failed call as finished', async () => {
    const drain = new Drain();
    await expect(drain.track(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(drain.inFlight).toBe(0);
  });
});

describe('Drain middleware', () => {
  function app(drain: Drain, release: Promise<void>) {
    const a = express();
    a.use(drain.middleware);
    a.post('/slow', (_req, res) => void release.then(() => res.json({ ok: true })));
    a.get('/stream', (_req, res) => void res.json({ streaming: true }));
    return a;
  }

  it('counts a request until its response is sent, and refuses new ones once draining', async () => {
    const drain = new Drain();
    let release!: () => void;
    const server = app(drain, new Promise<void>((r) => (release = r))).listen(0, '127.0.0.1');
    const agent = supertest(server);
    try {
      const slow = agent.post('/slow').then((res) => res.status);
      while (drain.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
      const stopping = drain.start(60_000);
      const refused = await agent.post('/slow');
      expect(refused.status).toBe(503);
      expect(refused.headers.connection).toBe('close');
      expect(refused.body).toMatchObject({ error: { code: -32050 } });
      release();
      expect(await slow).toBe(200);
      await stopping;
      expect(drain.inFlight).toBe(0);
    } finally {
      server.close();
    }
  });

  it('does not count GET streams, which never end on their own', async () => {
    const drain = new Drain();
    const server = app(drain, Promise.resolve()).listen(0, '127.0.0.1');
    try {
      await supertest(server).get('/stream').expect(200);
      expect(drain.inFlight).toBe(0);
    } finally {
      server.close();
    }
  });
});
