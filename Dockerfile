# The ringwatch service for docker compose; Neo4j runs in its own container (NEO4J_URI).

# Build: the whole install, compiler included, compiles src/ to dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# The service: runtime dependencies and the compiled dist/. Without src/ beside it, bin/ringwatch.js
# runs dist/ as it is (there is nothing it could be stale against).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no prepare step here, the build stage made dist/.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY bin ./bin
COPY scripts/dist-state.js ./scripts/
COPY cypher ./cypher
# Served at /guide (the Neo4j Browser guide); the ring viewer's files are in dist/viewer.
COPY browser-guide ./browser-guide
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8080
CMD ["node", "bin/ringwatch.js", "serve", "--host", "0.0.0.0", "--port", "8080"]
