# syntax=docker/dockerfile:1
# The standalone Next.js server in a small image, running as a non-root user.
# Build: docker build -t edge-users-api .
# Run:   docker run -p 3000:3000 -e DATABASE_URL=... -e JWT_SECRET=... edge-users-api

FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY scripts/generate.ts ./scripts/generate.ts
RUN npm ci
COPY . .
RUN npm run build

FROM node:24-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
# Only the standalone folder: the server, the files its trace names (about 28 MB, no dev dependencies,
# no build tools) and, added by `npm run build`, the static assets. The tests run this folder copied out
# of the project on its own (test/integration/standalone-copy.test.ts).
COPY --from=build --chown=node:node /app/.next/standalone ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
