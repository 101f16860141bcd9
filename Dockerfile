# One image for the collector, the API and the migrations job; the container command selects which.
#   docker build -t llm-observatory/app:dev .
#   docker build --build-arg NODE_IMAGE=node:24.21.0-trixie-slim@sha256:<digest> .
# The base must provide `node`, `npm` and a `node` user (as the official node images do).
ARG NODE_IMAGE=node:24.21.0-trixie-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# One install from the registry (scripts off: none is needed to compile or to run the services);
# the production dependencies are what remains after `npm prune` below.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY services ./services
COPY migrations ./migrations
COPY ui ./ui
# The runner reads its SQL beside the compiled cli (migrations/files.ts: ./sql/).
RUN npm run build && cp -r migrations/sql dist/migrations/sql && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The web UI's static files, served by the API from ui/dist under its working directory.
COPY --from=build /app/ui/dist ./ui/dist
COPY package.json ./
# Root owns the code; the process runs as the unprivileged `node` user and cannot modify it.
USER node
EXPOSE 4317 4318 8080
# node is PID 1: the services handle SIGTERM themselves (drain, close pools) and exit.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "--enable-source-maps"]
CMD ["dist/services/collector/main.js"]
