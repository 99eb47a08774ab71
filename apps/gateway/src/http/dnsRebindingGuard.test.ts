import { ConfigSchema } from '@only1mcp/config';
import { dnsRebindingCheck } from './dnsRebindingGuard';

const server = ConfigSchema.parse({
  server: { allowed_hosts: ['gateway.internal'], allowed_origins: ['https://app.example.com'] },
  servers: [{ id: 'x', transport: 'stdio', command: 'x' }],
}).server;

describe('dnsRebindingCheck', () => {
  it('lets loopback names and the allow-lists through, and refuses a rebound name or a foreign origin', () => {
    const check = dnsRebindingCheck(server);
    expect(check({ host: '127.0.0.1:8080' })).toEqual({ ok: true });
    expect(check({ host: 'localhost:8080', origin: 'http://localhost:3000' })).toEqual({ ok: true });
    expect(check({ host: 'gateway.internal' })).toEqual({ ok: true });
    expect(check({ host: '127.0.0.1', origin: 'https://app.example.com' })).toEqual({ ok: true });
    expect(check({ host: 'evil.example.com' })).toMatchObject({ ok: false, message: expect.any(String) });
    expect(check({ host: '127.0.0.1', origin: 'https://evil.example.com' })).toMatchObject({ ok: false });
  });

  it('gives the same verdict however often and whatever else it was asked (the memo is bounded)', () => {
    const check = dnsRebindingCheck(server);
    const missing = check({});
    for (let i = 0; i < 1000; i++) {
      expect(check({ host: `attacker-${i}.example.com` }).ok).toBe(false);
      expect(check({ host: '127.0.0.1' }).ok).toBe(true);
    }
    // An absent header is not an empty one.
    expect(check({})).toEqual(missing);
    expect(check({ host: '' })).toEqual(dnsRebindingCheck(server)({ host: '' }));
  });
});
