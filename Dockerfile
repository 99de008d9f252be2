# Production image: a current LTS (the project also runs on Node 20 for development).
FROM node:24-bookworm-slim
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary matches.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY schemas ./schemas
COPY workflows ./workflows
COPY activities ./activities
COPY src ./src
COPY tsconfig.json ./
ENV NODE_ENV=production DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
USER node
# The API by default; the worker service overrides the command.
CMD ["node", "--import", "tsx", "src/server.ts"]
