# syntax=docker/dockerfile:1
# Production image: assets built with Node, the app on Python slim with WeasyPrint's libraries.

FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY static/src static/src
RUN npm run build

FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=safeguarding.settings.base
# Pango/HarfBuzz for WeasyPrint; fonts for the PDFs; libmagic to check uploads by content.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
        shared-mime-info libmagic1 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --create-home --uid 10001 app
WORKDIR /app
# Only what the hashed app lock names, as wheels; then the project itself, adding nothing.
COPY requirements/app.txt requirements/app.txt
RUN pip install --require-hashes --only-binary :all: -r requirements/app.txt
COPY pyproject.toml README.md ./
RUN pip install --no-deps --no-build-isolation . && rm -rf build *.egg-info
COPY --chown=app:app . .
COPY --from=assets --chown=app:app /app/static/dist static/dist
RUN SECRET_KEY=collectstatic-only DEBUG=false EMAIL_ALLOW_UNSENT=true \
    python manage.py collectstatic --no-input \
    && mkdir -p var/uploads && chown -R app:app var
USER app
EXPOSE 8000
# Plain HTTP to the container's own port; a 200 is healthy, anything else (a redirect
# included) is not. safeguarding.middleware.HealthCheckMiddleware answers it whatever
# ALLOWED_HOSTS and SECURE_SSL_REDIRECT are. tests/core/test_healthcheck.py runs this line.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import http.client as h, os; c = h.HTTPConnection('127.0.0.1', int(os.environ.get('PORT', '8000')), timeout=4); c.request('GET', '/healthz'); r = c.getresponse(); print(r.status); raise SystemExit(r.status != 200)"
# Bind address, workers, trusted proxy and access log format: safeguarding/gunicorn_conf.py.
CMD ["gunicorn", "--config", "safeguarding/gunicorn_conf.py", "safeguarding.wsgi"]
