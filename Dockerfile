# The ringwatch service for docker compose; Neo4j runs in its own container (NEO4J_URI).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY cypher ./cypher
COPY tsconfig.json ./
USER node
EXPOSE 8080
CMD ["node", "bin/ringwatch.js", "serve", "--host", "0.0.0.0", "--port", "8080"]
