# The service image: TypeScript compiled once in a build stage; the runtime
# stage has production dependencies only and runs `node dist/cli.js serve`
# directly (no npm, no tsx), as the unprivileged `node` user, on Node.js 24
# (an LTS line inside package.json's engines).

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
# postinstall generates the Prisma client into src/generated.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json schema.graphql ./
COPY src ./src
COPY web ./web
RUN npm run build && node scripts/build-web.mjs --force && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/data
WORKDIR /app
# Owned by root and read-only to the service; only the embedded database's folder is writable.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/schema.graphql ./
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 4000
# serve() answers SIGTERM itself: not ready for SHUTDOWN_DELAY_MS, then it drains and exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "dist/cli.js", "serve"]
