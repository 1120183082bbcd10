# syntax=docker/dockerfile:1
# SPDX-License-Identifier: Apache-2.0
# The MediSecure web application as static files, served by Debian's nginx as an unprivileged
# user on port 8080 with the backend's security headers; writes only under /tmp.
#   docker build -f deploy/docker/frontend.Dockerfile -t medisecure/frontend:0.1.0 .

FROM node:20.18.1-bookworm-slim AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY docs/openapi.json /src/docs/openapi.json
COPY frontend/ ./
RUN npm run build

FROM debian:12.8-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx-light curl \
 && rm -rf /var/lib/apt/lists/* /var/www/html /etc/nginx/sites-enabled /etc/nginx/conf.d \
 && groupadd --gid 10001 medisecure \
 && useradd --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin medisecure
COPY deploy/docker/frontend-nginx.conf /etc/nginx/nginx.conf
COPY --from=web /src/frontend/dist /usr/share/medisecure/web
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/healthz"]
# nginx finishes the requests in flight on SIGQUIT (SIGTERM would cut them).
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/usr/sbin/nginx", "-g", "daemon off;"]
