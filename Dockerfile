# One image for every service; the command picks which one runs (docker-compose.yml).
# Build: docker build -t shuangcheng .
FROM node:20-bookworm-slim AS build
WORKDIR /app
# patches/: what `npm ci` changes in installed packages afterwards (patch-package, the postinstall script).
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY shared ./shared
COPY subgraphs ./subgraphs
COPY gateway ./gateway
COPY dashboard ./dashboard
COPY scripts ./scripts
# tsc into dist/, with the SDL, seed and dashboard files the services read beside their code (scripts/copyBuildAssets.ts).
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
# Production dependencies only. (Optional ones stay: esbuild's platform binary, which the gateway's dashboard
# bundle needs, is one; the embedded PostgreSQL binaries come along but stay unused with DATABASE_URL.)
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
# Compiled JavaScript: no transpiler's module hooks on the request path (with NODE_ENV=production, graphql-js skips
# its development checks too).
COPY --from=build /app/dist ./dist
# dist/ holds the dashboard's source too, which the gateway bundles in memory when it starts, and the operators'
# commands (README "Running in production"): docker compose run --rm sichuan dist/scripts/admin/admin.js --help
USER node
# Node options as the launcher gives every service (scripts/system/childService.ts, SERVICE_NODE_OPTIONS).
ENTRYPOINT ["node", "--max-semi-space-size=64"]
CMD ["dist/gateway/src/main.js"]
