# syntax=docker/dockerfile:1
# Only1MCP images, built from the workspace with turbo prune + pnpm deploy. Two final targets:
#   docker build --target gateway       -t only1mcp/gateway .
#   docker build --target health-worker -t only1mcp/health-worker .
# docker-compose.yml builds both (and runs the example HTTP backend from the gateway image).
# The pnpm and turbo versions below must match package.json `packageManager` and the
# pnpm-workspace.yaml catalog; tooling/cluster/test/deployFiles.test.ts checks that they do.
# Node 24, a long-term-support line (Node 20's support ended on 2026-04-30); .ci/run runs every
# test on the latest Node 24 as well as on the machine's Node, reading the major from this line.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
RUN npm install -g pnpm@12.4.2

# Only the two apps' slice of the workspace: a change elsewhere does not bust the install layer.
FROM base AS pruned
WORKDIR /src
COPY . .
RUN pnpm dlx turbo@2.11.11 prune @only1mcp/gateway @only1mcp/health-worker --docker

FROM base AS build
WORKDIR /src
# Manifests and lockfile first, so the install layer is reused until a dependency changes.
COPY --from=pruned /src/out/json/ ./
RUN pnpm install --frozen-lockfile
COPY --from=pruned /src/out/full/ ./
RUN pnpm exec turbo run build --filter=@only1mcp/gateway --filter=@only1mcp/health-worker
# Each app with its production dependencies only, as a self-contained folder: its bundle and the
# libraries the bundle loads on demand (all else is a devDependency; the build checks). Plain `pnpm deploy`:
# since pnpm 12.2 it no longer needs inject-workspace-packages=true (pnpm 10 and 11 needed that
# or --legacy); it rewrites workspace dependencies to file: ones in a dedicated lockfile.
# The root project's deploy carries the example stdio backends (mcp-server-everything,
# mcp-server-memory, root dependencies) with the exact versions of the workspace lockfile, the
# ones the tests run against; an `npm install -g` would resolve their dependencies afresh. Only
# its node_modules is kept, at the same path, so the bin shims' absolute paths stay right.
RUN pnpm deploy --filter @only1mcp/gateway --prod /out/gateway \
 && pnpm deploy --filter @only1mcp/health-worker --prod /out/health-worker \
 && pnpm deploy --filter only1mcp --prod /opt/mcp-servers

# What both apps run on: Node, the example stdio backends on PATH, the compose configuration.
# Code and backends stay owned by root, so the unprivileged process cannot rewrite them.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production PATH=/opt/mcp-servers/node_modules/.bin:$PATH
# At most two glibc malloc arenas: Node's compiler and GC threads otherwise each keep one of their
# own. On Node 24 that is ~2.5 MiB of a gateway's RSS (100 HTTP backends: 94-95 MiB with it,
# 96-98 without; docs/BENCHMARKS.md, fourteenth pass), at no measured cost in calls per second.
ENV MALLOC_ARENA_MAX=2
COPY --from=build /opt/mcp-servers/node_modules /opt/mcp-servers/node_modules
# The compose configuration as the image's default; compose bind-mounts the same folder over it.
COPY deploy/config/ /etc/only1mcp/
WORKDIR /app

FROM runtime AS gateway
COPY --from=build /out/gateway ./
# `only1mcp config generate` reads the templates from config/templates above the bundle (dist/).
COPY config/templates/ ./config/templates/
USER node
EXPOSE 8080
# Liveness only (/ready is the load balancer's business): slim images have no curl, Node has fetch.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/only1mcp.js"]
CMD ["start", "--config", "/etc/only1mcp/gateway.yaml", "--host", "0.0.0.0"]

FROM runtime AS health-worker
COPY --from=build /out/health-worker ./
USER node
EXPOSE 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/metrics').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/only1mcp-health-worker.js"]
CMD ["--config", "/etc/only1mcp/gateway.yaml", "--metrics-host", "0.0.0.0", "--metrics-port", "9464"]
