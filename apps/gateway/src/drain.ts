/**
 * Graceful shutdown: once draining, new HTTP requests get 503 ShuttingDown, while the HTTP requests
 * and MCP calls already running (on every front: Streamable HTTP, SSE, stdio) are counted so
 * shutdown can wait for them, up to `server.shutdown_timeout`.
 */
import { ERROR_CODES, ErrorCode, jsonRpcError } from '@only1mcp/mcp-types';
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/** Tracks in-flight MCP calls and refuses new requests once shutdown began. */
export class Drain {
  private running = 0;
  private draining = false;
  private waiters: (() => void)[] = [];

  /** Calls in flight now. */
  get inFlight(): number {
    return this.running;
  }

  /** True once {@link start} was called. */
  get isDraining(): boolean {
    return this.draining;
  }

  /** Runs `work`, counting it as in flight until it settles. */
  async track<T>(work: () => T | Promise<T>): Promise<T> {
    this.running += 1;
    try {
      return await work();
    } finally {
      this.settle();
    }
  }

  /** Counts a request as in flight until its response is done (sent, or the connection lost). */
  trackResponse(res: ServerResponse): void {
    this.running += 1;
    res.once('close', () => this.settle());
  }

  private settle(): void {
    this.running -= 1;
    if (this.running === 0) this.wake();
  }

  /**
   * Express middleware: counts each request until its response is sent (a handler's result is
   * written after the handler returns, so counting handlers alone would cut answers off), except
   * GET streams, which never end on their own; while draining, answers 503 with `Connection: close`.
   */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (!this.draining) {
      if (req.method !== 'GET') this.trackResponse(res);
      return next();
    }
    res.setHeader('connection', 'close');
    res
      .status(ERROR_CODES.ShuttingDown.httpStatus)
      .json(jsonRpcError(undefined, ErrorCode.ShuttingDown, 'The gateway is shutting down; retry on another replica'));
  };

  /** Begins draining and resolves when no call is in flight or after `timeoutMs`, whichever is first. */
  async start(timeoutMs: number): Promise<void> {
    this.draining = true;
    if (this.running === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
