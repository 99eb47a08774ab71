/**
 * The app's JSON body parser, for `/mcp` and legacy SSE's `/messages` alike, answering as the hot
 * path does (hotPath.ts) where both read a body:
 *
 * - any Content-Type (`/mcp` refuses other media types before it: `unacceptableMedia`), at most
 *   `limit` bytes once inflated (413), gzip, deflate, br or, on a Node that has it, zstd (another
 *   encoding: 415), UTF-8, -16 or -32 (another charset: 415), a UTF-8 byte-order mark dropped;
 * - no body, or an empty one, is not JSON: 400 `-32700`, as is a syntax error (the app's error
 *   handler words that one);
 * - JSON that is not an object or an array (`123`, `"x"`) is parsed, so it gets the answer to JSON
 *   that is not JSON-RPC (`-32600`) instead of body-parser's strict-mode syntax error;
 * - a body nested deeper than `MAX_JSON_DEPTH`: 400 `-32600`.
 *
 * A request the hot path has read already (its stream ended, `req.body` set) is left as it is.
 */
import express, { type RequestHandler } from 'express';
import type { IncomingMessage } from 'node:http';
import { bodyNotJson, bodyTooDeep, nestsTooDeep } from './bodyErrors';

/** Set on a request whose body was empty (body-parser makes `{}` of one). */
const EMPTY_BODY = Symbol('emptyBody');
type Marked = IncomingMessage & { [EMPTY_BODY]?: true; body?: unknown };

export function jsonBody(limit: number): RequestHandler {
  const parse = express.json({
    limit,
    type: () => true,
    strict: false,
    verify: (req, _res, buf) => {
      if (buf.length === 0) (req as Marked)[EMPTY_BODY] = true;
    },
  });
  return (req, res, next) =>
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      const marked = req as Marked;
      const answer =
        marked.body === undefined || marked[EMPTY_BODY]
          ? bodyNotJson()
          : nestsTooDeep(marked.body)
            ? bodyTooDeep()
            : undefined;
      if (!answer) return next();
      res.status(answer.status).json(answer.body);
    });
}
