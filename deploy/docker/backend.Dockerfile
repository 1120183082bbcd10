# syntax=docker/dockerfile:1
# SPDX-License-Identifier: Apache-2.0
# The MediSecure backend: one binary for `serve`, `worker`, `migrate`, `backup`, with the web
# application and Swagger UI it serves on the embedded default. Built on Debian 12 with the
# project's own scripts; runs on Debian 12 slim with only the libraries the binary links, as an
# unprivileged user, with nothing to write outside /tmp and its data directory (mount volumes).
#   docker build -f deploy/docker/backend.Dockerfile -t medisecure/backend:0.1.0 .

# The web application (Vite needs Node.js 20; Debian 12 has 18).
FROM node:20.18.1-bookworm-slim AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY docs/openapi.json /src/docs/openapi.json
COPY frontend/ ./
RUN npm run build

FROM debian:12.8 AS build
WORKDIR /src
COPY scripts/deps.sh scripts/build.sh scripts/
RUN scripts/deps.sh build && rm -rf /var/lib/apt/lists/*
COPY backend/ backend/
RUN BUILD_DIR=build/release scripts/build.sh \
 && strip build/release/src/main/medisecure \
 && install -D build/release/src/main/medisecure /out/usr/local/bin/medisecure
# The Debian packages of exactly the libraries the binary links: the runtime installs these.
RUN set -e; for lib in $(ldd /out/usr/local/bin/medisecure | awk '/=> \//{print $3}'); do \
      dpkg -S "$lib" 2>/dev/null || dpkg -S "$(realpath "$lib")"; \
    done | cut -d: -f1 | sort -u >/out/runtime-packages; \
    test -s /out/runtime-packages

FROM debian:12.8-slim
COPY --from=build /out/runtime-packages /tmp/runtime-packages
RUN apt-get update \
 && xargs -a /tmp/runtime-packages apt-get install -y --no-install-recommends ca-certificates curl tzdata \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages \
 && groupadd --gid 10001 medisecure \
 && useradd --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin medisecure \
 && install -d -o 10001 -g 10001 -m 0700 /var/lib/medisecure
COPY --from=build /out/usr/local/bin/medisecure /usr/local/bin/medisecure
COPY --from=web /src/frontend/dist /usr/share/medisecure/web
COPY --from=web /src/frontend/node_modules/swagger-ui-dist /usr/share/medisecure/swagger-ui
ENV MEDISECURE_LISTEN=0.0.0.0:8000 \
    MEDISECURE_DATA_DIR=/var/lib/medisecure \
    MEDISECURE_STATIC_DIR=/usr/share/medisecure/web \
    MEDISECURE_SWAGGER_UI_DIR=/usr/share/medisecure/swagger-ui \
    MEDISECURE_LOG_FORMAT=json
USER 10001:10001
WORKDIR /var/lib/medisecure
VOLUME ["/var/lib/medisecure"]
EXPOSE 8000
# Shallow: the process answers. Readiness (/health/ready) is for load balancers and Kubernetes.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8000/health/live"]
# SIGTERM: readiness goes down, in-flight requests finish (MEDISECURE_DRAIN_TIMEOUT), then exit.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/medisecure"]
CMD ["serve"]
