# syntax=docker/dockerfile:1
# The standalone Next.js server in a small image, running as a non-root user, with its migrate command.
# Build:   docker build -t edge-users-api .
# Migrate: docker run --rm -e DATABASE_URL_UNPOOLED=... edge-users-api node migrate.mjs   (before each release)
# Run:     docker run --read-only --tmpfs /tmp -p 3000:3000 -e DATABASE_URL=... -e JWT_SECRET=... edge-users-api

FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY scripts/generate.ts scripts/migration-names.ts ./scripts/
RUN npm ci
COPY . .
RUN npm run build

FROM node:24-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
# Only the standalone folder: the server, the files its trace names (no dev dependencies, no build tools)
# and, added by `npm run build`, the static assets and the migrate command (migrate.mjs, Prisma's schema
# engine as WASM, prisma/migrations): 36.8 MB in 1,468 files (scripts/folder-size.ts). The server writes
# nothing outside /tmp. The tests run this folder copied out of the project on its own, read-only, as an
# unprivileged user (test/integration/standalone-copy.test.ts, container-migrate.test.ts).
COPY --from=build /app/.next/standalone ./
USER node
EXPOSE 3000
# Liveness, which touches nothing: restarting the container cannot fix a database that is down or not migrated.
# Readiness (/api/health: 503 until the database has this image's migrations) is for the load balancer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/api/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
