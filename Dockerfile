FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# LibreOffice (writer, no GUI) makes the PDFs of our documents in the worker (lib/pdf.py); Noto CJK and
# AR PL UKai are the free fonts the 公文 font names fall back to (lib/fonts/gongwen.conf); WenQuanYi Zen Hei
# is the TrueType 黑体 the QR placards' PDF embeds (lib/pdfsheets.py).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai fonts-wqy-zenhei fontconfig \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY wuxiao wuxiao
COPY campaigns campaigns
COPY accounts accounts
COPY inspections inspections
COPY ledgers ledgers
COPY dashboard dashboard
RUN pip install --no-cache-dir .
COPY . .
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput
RUN useradd --create-home wuxiao && mkdir -p /app/media && chown wuxiao /app/media
USER wuxiao
EXPOSE 8000
CMD ["gunicorn", "wuxiao.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
