# Three stages: `build` (the app and its collected static files), `proxy` (nginx from Debian with those
# static files and deploy/nginx) and `app` (the image of web, worker, beat and migrate; the default target).
# Debian bookworm on purpose: its postgresql-client is 15, the version of the `db` service — pg_dump and
# pg_restore (backups) must not be older than the server.
FROM python:3.11-slim-bookworm AS build
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONPATH=/app
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# LibreOffice (writer, no GUI) makes the PDFs of our documents in the worker (lib/pdf.py); Noto CJK and
# AR PL UKai are the free fonts the 公文 font names fall back to (lib/fonts/gongwen.conf); WenQuanYi Zen Hei
# is the TrueType 黑体 the QR placards' PDF embeds (lib/pdfsheets.py).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai fonts-wqy-zenhei fontconfig \
    && rm -rf /var/lib/apt/lists/*
# The install step needs pyproject.toml and the packages it names; other edits keep this layer cached.
COPY pyproject.toml README.md ./
COPY wuxiao wuxiao
COPY lib lib
COPY accounts accounts
COPY campaigns campaigns
COPY inspections inspections
COPY ledgers ledgers
COPY dashboard dashboard
COPY notifications notifications
COPY ops ops
COPY api api
RUN pip install --no-cache-dir .
# Everything else (.dockerignore leaves out .venv, databases, media, backups, .env …). PYTHONPATH=/app makes
# every process (gunicorn, celery, manage.py) import the code here, with its templates and static folders.
COPY . .
# A throwaway key: settings refuse a missing or short one even for collectstatic.
RUN DJANGO_SECRET_KEY="build-only-collectstatic-$(python -c 'import secrets; print(secrets.token_urlsafe(40))')" \
    python manage.py collectstatic --noinput -v0

FROM debian:bookworm-slim AS proxy
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx-light openssl \
    && rm -rf /var/lib/apt/lists/*
COPY deploy/nginx /etc/wuxiao/nginx
COPY --from=build /app/staticfiles /srv/wuxiao/static
EXPOSE 80 443
CMD ["/etc/wuxiao/nginx/start.sh"]

FROM build AS app
RUN useradd --create-home wuxiao \
    && mkdir -p /app/media /app/backups \
    && chown wuxiao /app/media /app/backups
USER wuxiao
EXPOSE 8000
CMD ["gunicorn", "wuxiao.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
