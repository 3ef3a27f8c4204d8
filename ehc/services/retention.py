"""Retention: what is deleted when it is no longer needed (periods in settings; docs/security.md).

- Sessions: an unfinished request (child's name, date of birth, needs) lives only in the
  session; expired sessions are deleted by ``sessions_clear``.
- Uploads: files from a request journey that was never sent are deleted by
  ``abandoned_documents_purge`` once untouched for EHC_ABANDONED_UPLOAD_RETENTION_HOURS.

Both run from Celery beat (settings.CELERY_BEAT_SCHEDULE) and are safe to run at any time.
"""

import logging
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.utils import timezone

from ehc.models import RequestDocument

logger = logging.getLogger(__name__)

# Where the public form stores uploads, one folder per journey (family.services).
DOCUMENT_DIR = "request-documents"


def sessions_clear() -> int:
    """Delete expired sessions from the database. Returns how many were deleted."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    if deleted:
        logger.info("Deleted %s expired sessions", deleted)
    return deleted


def abandoned_documents_purge(*, older_than: timedelta) -> int:
    """Delete uploads from journeys that were never sent (the session ended first).

    A request's files stay where they were uploaded; a journey's folder with no file attached to
    a case, untouched for ``older_than``, is removed. Returns how many files were deleted.
    """
    if not default_storage.exists(DOCUMENT_DIR):
        return 0
    cutoff = timezone.now() - older_than
    attached = set(RequestDocument.objects.values_list("file", flat=True))
    deleted = 0
    folders, _ = default_storage.listdir(DOCUMENT_DIR)
    for folder in folders:
        _, files = default_storage.listdir(f"{DOCUMENT_DIR}/{folder}")
        names = [f"{DOCUMENT_DIR}/{folder}/{name}" for name in files]
        if any(name in attached for name in names):
            continue
        if any(default_storage.get_modified_time(name) > cutoff for name in names):
            continue
        for name in names:
            default_storage.delete(name)
            deleted += 1
    if deleted:
        logger.info("Deleted %s abandoned uploads", deleted)
    return deleted
