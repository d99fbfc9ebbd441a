# Scenario Board: one image for every instance (docs/deploy.md).
#   docker build -t scenario-board .
#   docker run -p 3000:3000 -v sb-data:/data scenario-board          (SQLite, one instance)
# Several instances: compose.yaml (PostgreSQL, Redis, two instances, HAProxy).

# --- build: every dependency, then the Next app and the compiled server --------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source (its prebuilt download may be unreachable).
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
ENV npm_config_build_from_source=true
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && rm -rf .next/cache

# --- production dependencies only (no tsx, no test tools) ----------------------------------
FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
ENV npm_config_build_from_source=true
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# --- runtime: node, the production dependencies, the build output; runs as `node` ----------
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/next.config.js ./
COPY --from=build /app/dist ./dist
COPY --from=build /app/server/start.sh /app/server/nodeFlags.sh ./server/
COPY --from=build /app/.next ./.next
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
# Liveness (the process answers). Load balancers should probe /readyz instead (storage
# reachable, not shutting down): deploy/haproxy.cfg does.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM: /readyz goes 503 for SHUTDOWN_DRAIN_MS, then clients are closed with 1012 and reconnect.
STOPSIGNAL SIGTERM
# server/start.sh starts node (PID 1) with server/nodeFlags.sh's flags (V8's helpers sized to the cores).
CMD ["sh", "server/start.sh"]
