/** The gateway's HTTP paths a balancer and a cluster need to know. */
export const GATEWAY_PATHS = {
  /** Streamable HTTP (2025-11-25 sessions and 2026-07-28). */
  mcp: '/mcp',
  /** 200 when the replica takes new clients, 503 while it starts or drains: the balancer's health check. */
  ready: '/ready',
  /** Prometheus text. */
  metrics: '/metrics',
  /** Legacy HTTP+SSE (2024-11-05): the stream that announces `/messages?sessionId=…`. */
  legacySse: '/sse',
  /** Legacy HTTP+SSE: where a client posts its messages; only the replica holding the stream knows the session. */
  legacyMessages: '/messages',
} as const;

/** The query parameter of {@link GATEWAY_PATHS.legacyMessages} that names the legacy session. */
export const LEGACY_SESSION_PARAM = 'sessionId';
