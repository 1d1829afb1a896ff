# innspill: the bot in a small image. Build: docker compose build. Run: docker compose up -d.
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
RUN useradd --create-home --uid 10001 innspill
COPY --from=build /dist/*.whl /tmp/
RUN pip install --no-cache-dir /tmp/*.whl && rm /tmp/*.whl
USER innspill
WORKDIR /data
ENV DATABASE_PATH=/data/innspill.sqlite3 \
    OUTBOX_DIR=/data/outbox \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
CMD ["innspill", "run"]
