# syntax=docker/dockerfile:1
# Only1MCP images, built from the workspace with turbo prune + pnpm deploy.
#   docker build --target gateway -t only1mcp/gateway .
# (First version: issue 5/8 adds the health-worker target and completes the compose stack.)

FROM node:20-bookworm-slim AS base
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH TURBO_TELEMETRY_DISABLED=1
RUN npm install -g pnpm@12.4.2

# Only the gateway's workspace slice, so unrelated changes do not bust the install layer.
FROM base AS pruned
WORKDIR /src
COPY . .
RUN pnpm dlx turbo@2.11.11 prune @only1mcp/gateway --docker

FROM base AS build
WORKDIR /src
COPY --from=pruned /src/out/json/ ./
RUN pnpm install --frozen-lockfile
COPY --from=pruned /src/out/full/ ./
COPY config ./config
RUN pnpm run build && pnpm deploy --filter @only1mcp/gateway --prod /app

FROM node:20-bookworm-slim AS gateway
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app ./
COPY --from=build --chown=node:node /src/config ./config
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s CMD node -e "fetch('http://127.0.0.1:8080/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["start", "--config", "config/templates/team.yaml", "--host", "0.0.0.0"]
