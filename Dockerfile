# One image for every service; the command picks which one runs.
# Build: docker build -t shuangcheng .
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; embedded PostgreSQL binaries are not needed with DATABASE_URL.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY shared ./shared
COPY subgraphs ./subgraphs
COPY gateway ./gateway
USER node
# tsx transpiles on load (esbuild); there is no separate build output to keep in step.
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["gateway/src/main.ts"]
