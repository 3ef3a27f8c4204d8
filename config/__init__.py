"""The project wiring: settings, URLs, WSGI, the Celery app, local dev servers and the bench
runner. Everything a deployment configures lives here; the domain lives in the apps."""

from config.celery import app as celery_app

__all__ = ["celery_app"]
