# innspill: the bot in a small image. Build and run with docker compose (see README, Deployment).
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY conversations ./conversations
COPY locales ./locales
RUN pip install --no-cache-dir build babel \
 && pybabel compile -d locales -D messages \
 && python -m build --wheel --outdir /dist

FROM python:3.11-slim
# A fixed, unprivileged user; /data belongs to it, so a fresh named volume does too.
RUN useradd --create-home --uid 10001 innspill \
 && mkdir -p /data \
 && chown innspill:innspill /data \
 && chmod 0700 /data
COPY --from=build /dist/*.whl /tmp/
RUN pip install --no-cache-dir /tmp/*.whl && rm /tmp/*.whl
USER innspill
WORKDIR /data
ENV DATABASE_PATH=/data/innspill.sqlite3 \
    OUTBOX_DIR=/data/outbox \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
# The bot saves every step before replying; on SIGTERM it stops taking updates and closes cleanly.
STOPSIGNAL SIGTERM
# One line per check (database, catalogs, consultation, outbox, Bot API, web chat); exit 1: unhealthy.
HEALTHCHECK --interval=60s --timeout=20s --start-period=30s --retries=3 \
    CMD ["innspill", "health"]
# The web chat, when WEB_ENABLED=true (published on loopback in docker-compose.yml).
EXPOSE 8080
CMD ["innspill", "run"]
