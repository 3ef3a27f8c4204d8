# One image for every process: web (default command), worker, beat, migrate.
# Not built on the development machine (no container engine there): see docs/deployment.md.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_DEBUG=0 EHC_BIND=0.0.0.0:8000 \
    EHC_STATIC_ROOT=/app/staticfiles EHC_MEDIA_ROOT=/var/lib/ehc/media PYTHONPATH=/app
# WeasyPrint needs Pango; npm installs the GOV.UK and MOJ front-end packages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 nodejs npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
# collectstatic needs settings that pass the production checks; these values exist only here.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 ehc && mkdir -p /var/lib/ehc/media && chown -R ehc /var/lib/ehc
USER ehc
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=3)"
CMD ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"]
