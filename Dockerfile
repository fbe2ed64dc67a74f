# One image for every service; the command picks which one runs.
# Build: docker build -t shuangcheng .
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only. (Optional ones stay: esbuild's platform binary, which tsx and the
# dashboard build need, is one; the embedded PostgreSQL binaries come along but stay unused with DATABASE_URL.)
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY shared ./shared
COPY subgraphs ./subgraphs
COPY gateway ./gateway
COPY dashboard ./dashboard
# Operators' commands (README "Running in production"): docker compose run --rm sichuan scripts/admin/admin.ts --help
COPY scripts/admin ./scripts/admin
USER node
# tsx transpiles on load (esbuild); there is no separate build output to keep in step.
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["gateway/src/main.ts"]
