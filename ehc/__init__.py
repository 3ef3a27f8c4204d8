"""The project package and the core domain: cases, deadlines, the statutory clock."""

from ehc.celery import app as celery_app

__all__ = ["celery_app"]
