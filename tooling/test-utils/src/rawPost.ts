/** A POST with exactly the headers given (fetch will not send a foreign Host), for testing header checks. */
import { request } from 'node:http';

/** POSTs `body` as JSON to `url` with `headers` (Host included, as given) and resolves with the status. */
export function rawPost(url: string, headers: Record<string, string>, body: unknown): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}
