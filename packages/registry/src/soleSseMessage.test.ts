import { soleSseMessage } from './soleSseMessage';

const data = '{"jsonrpc":"2.0","id":1,"result":{}}';

it('finds the data of one message event, with or without its event line, LF or CRLF', () => {
  expect(soleSseMessage(`event: message\ndata: ${data}\n\n`)).toBe(data);
  expect(soleSseMessage(`data: ${data}\n\n`)).toBe(data);
  expect(soleSseMessage(`event:message\r\ndata:${data}\r\n\r\n`)).toBe(data);
});

it('finds nothing in any other body: the SDK reader alone knows what the rest means', () => {
  for (const body of [
    `id: 4\ndata: ${data}\n\n`, // resumable: the client must see the event id
    `retry: 1000\ndata: ${data}\n\n`, // the reconnection delay
    `: keep-alive\ndata: ${data}\n\n`, // a comment
    `data: ${data}\n\ndata: ${data}\n\n`, // two events
    `data: ${data}\ndata: more\n\n`, // one event, two data lines
    `event: ping\ndata: ${data}\n\n`, // another event type
    `data: ${data}\n`, // not ended
    'data: \n\n', // empty data: nothing is dispatched
    '',
  ]) {
    expect(soleSseMessage(body)).toBeUndefined();
  }
});
