# Relief Check application image: web (gunicorn), worker and beat share it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

WORKDIR /app
RUN useradd --create-home --uid 1000 relief

COPY pyproject.toml README.md ./
COPY config ./config
COPY cases ./cases
COPY screener ./screener
COPY eligibility ./eligibility
COPY documents ./documents
RUN pip install .

COPY . .
# collectstatic only needs settings to import: give it throwaway values, not real secrets.
RUN SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 ALLOWED_HOSTS=localhost SITE_URL=https://build.invalid \
    EMAIL_URL=smtp://build.invalid SMS_BACKEND=screener.sms.TwilioSMSBackend \
    SERVICE_OPERATOR=build-only SERVICE_OPERATOR_EMAIL=build@localhost \
    sh -c "pybabel compile --domain django --directory locale && python manage.py collectstatic --noinput"

# Uploads live here (PRIVATE_UPLOAD_ROOT), readable by the service's user only.
RUN mkdir -p /app/private && chown relief /app/private && chmod 700 /app/private
USER relief
EXPOSE 8000
# Worker class and counts: gunicorn.conf.py (sized for 2 cores; GUNICORN_* to resize).
CMD ["gunicorn", "-c", "gunicorn.conf.py", "config.wsgi:application"]
