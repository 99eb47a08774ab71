import { wholeBodyResponse } from './wholeBodyResponse';

const init = { status: 201, statusText: 'Created', headers: { 'content-type': 'application/json', 'x-a': '1' } };
const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
/** The same bytes as an ordinary Response: what each reader of the whole-body one must match. */
const both = (text: string) => [wholeBodyResponse(bytes(text), init), new Response(bytes(text), init)] as const;

it('is a Response with the status, status text and headers it was given', () => {
  const res = wholeBodyResponse(bytes('{}'), init);
  expect(res).toBeInstanceOf(Response);
  expect([res.ok, res.status, res.statusText, res.headers.get('x-a')]).toEqual([true, 201, 'Created', '1']);
});

it('reads as an ordinary Response of the same bytes does: json, text (BOM dropped, bad bytes replaced), arrayBuffer, blob', async () => {
  for (const text of ['{"a":[1,"é"]}', '\ufeff{"bom":true}']) {
    const [whole, ordinary] = both(text);
    expect(await whole.json()).toEqual(await ordinary.json());
  }
  const bad = new Uint8Array([0x61, 0xff, 0x62]);
  expect(await wholeBodyResponse(bad, init).text()).toBe(await new Response(bad, init).text());
  const [whole, ordinary] = both('\ufeffabc');
  expect(await whole.text()).toBe(await ordinary.text());
  const [a, b] = both('bytes');
  expect(Buffer.from(await a.arrayBuffer())).toEqual(Buffer.from(await b.arrayBuffer()));
  const blob = await wholeBodyResponse(bytes('blob'), init).blob();
  expect([blob.type, await blob.text()]).toEqual(['application/json', 'blob']);
});

it('rejects bad JSON as json() does', async () => {
  const [whole, ordinary] = both('{not json');
  const err = (await ordinary.json().catch((e: unknown) => e)) as Error;
  // By name: undici's errors come from Node's own realm, not the test's.
  await expect(whole.json()).rejects.toMatchObject({ name: err.name });
});

it('is read once: bodyUsed, and a second read rejects with a TypeError', async () => {
  const res = wholeBodyResponse(bytes('{}'), init);
  expect(res.bodyUsed).toBe(false);
  await res.text();
  expect(res.bodyUsed).toBe(true);
  await expect(res.json()).rejects.toThrow(TypeError);
  await expect(res.arrayBuffer()).rejects.toThrow(TypeError);
  expect(() => res.clone()).toThrow(TypeError);
});

it('gives its body as a stream when asked, and every read then goes through that stream', async () => {
  const res = wholeBodyResponse(bytes('streamed'), init);
  const body = res.body!;
  expect(body).toBeInstanceOf(ReadableStream);
  expect(res.body).toBe(body);
  const reader = body.getReader();
  expect(Buffer.from((await reader.read()).value!).toString()).toBe('streamed');
  expect((await reader.read()).done).toBe(true);
  expect(res.bodyUsed).toBe(true);
  await expect(res.text()).rejects.toMatchObject({ name: 'TypeError' });
});

it('clones to an unread copy, each read on its own', async () => {
  const res = wholeBodyResponse(bytes('{"n":1}'), init);
  const copy = res.clone();
  expect(await res.json()).toEqual({ n: 1 });
  expect([copy.status, copy.headers.get('x-a'), await copy.json()]).toEqual([201, '1', { n: 1 }]);
});
