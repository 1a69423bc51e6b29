# One image for every Havn process. It runs the gateway by default; a service, the staff
# web client or the migration sets its own command (deploy/compose.yaml, deploy/kubernetes/):
#   uvicorn --factory services.<name>.app:create_app --host 0.0.0.0 --port 8080
#   uvicorn --factory web.app:create_app --host 0.0.0.0 --port 8080
#   havn migrate

# The web client's CSS, JavaScript and font from npm (the lockfile's versions, no dev tools).
FROM node:20-slim AS web-assets
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/havn
WORKDIR /src
COPY pyproject.toml ./
COPY havn ./havn
COPY cli ./cli
COPY services ./services
COPY gateway ./gateway
COPY web ./web
# A regular (not editable) install without the dev extras: the Alembic scripts travel
# inside the installed packages, and the image carries no source tree.
RUN /opt/havn/bin/pip install .

FROM python:3.11-slim
RUN groupadd --system --gid 10001 havn \
 && useradd --system --uid 10001 --gid havn --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin havn
COPY --from=build /opt/havn /opt/havn
# Served by the web client from beside its package (web/assets.py).
COPY --from=web-assets /web/node_modules /opt/havn/lib/python3.11/site-packages/web/node_modules
# Bytecode was compiled at install time; nothing needs to write to the root filesystem.
ENV PATH=/opt/havn/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HAVN_ENV=prod
# Numeric, so that Kubernetes can check runAsNonRoot against it.
USER 10001:10001
EXPOSE 8080
CMD ["uvicorn", "--factory", "gateway.app:create_app", "--host", "0.0.0.0", "--port", "8080"]
