# Production images, multi-stage: `build` installs the node modules and builds the workflow bundle;
# `runtime` (the API and the one-shot setup) and `worker` (runtime + Debian's chromium) run them. No stage
# needs a compiler: every native module (libsql, the Temporal core bridge, swc, esbuild) ships prebuilt.
# A current LTS in production; development also runs on Node 20.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY schemas ./schemas
COPY workflows ./workflows
COPY activities ./activities
COPY src ./src
COPY bin ./bin
COPY scripts/bundle-workflows.ts scripts/build.ts ./scripts/
# Workers load this instead of running webpack at every start (WORKFLOW_BUNDLE_PATH).
RUN node --import tsx scripts/bundle-workflows.ts dist/workflow-bundle.js
# The processes run compiled JavaScript (dist/*.mjs), not the sources through tsx: less memory held.
RUN node --import tsx scripts/build.ts dist

FROM node:24-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production DATA_DIR=/data
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/tsconfig.json ./
COPY --from=build /app/schemas ./schemas
COPY --from=build /app/workflows ./workflows
COPY --from=build /app/activities ./activities
COPY --from=build /app/src ./src
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# `docker compose exec api newloom streams list`: the CLI talks to the API in the same container.
RUN ln -s /app/bin/newloom.mjs /usr/local/bin/newloom \
  && mkdir -p /data && chown node:node /data
USER node
CMD ["node", "dist/server.mjs"]

FROM runtime AS worker
USER root
RUN apt-get update \
  && apt-get install -y --no-install-recommends chromium fonts-liberation \
  && rm -rf /var/lib/apt/lists/*
USER node
# playwright-core drives Debian's chromium; no browser is downloaded.
ENV CHROMIUM_PATH=/usr/bin/chromium WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
# The heap cap of a process that runs activities: src/process/compiled-entry-points.ts says why.
CMD ["node", "--max-old-space-size=384", "dist/worker-main.mjs"]
