# Miroir: one image for the web server (API, web chat, Slack and Teams routes).
# Build: docker build -t miroir .     Run: see README.md ("Docker").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MIROIR_HOST=0.0.0.0 \
    MIROIR_PORT=8000 \
    MIROIR_DATABASE_URL=sqlite:////data/miroir.db

# Chat connectors are optional extras; add "ml" for the local transformers classifier.
ARG EXTRAS=slack,teams

RUN useradd --create-home --uid 10001 miroir \
    && mkdir -p /data \
    && chown miroir:miroir /data

WORKDIR /src
COPY . .
RUN pip install ".[${EXTRAS}]" \
    && rm -rf /src/build /src/*.egg-info

USER miroir
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
# Outside demo mode Miroir refuses to start without MIROIR_SECRET_KEY (see README).
CMD ["miroir", "serve"]
