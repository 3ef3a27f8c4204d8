"""Small pieces every service uses: today's date in the LA's time zone, audited saves."""

from datetime import date

from django.db import models
from django.utils import timezone


def local_today() -> date:
    return timezone.localdate()


def save_audited(instance: models.Model, *, acting_user, validate: bool = True) -> None:
    """Validate and save, recording who made the change in the history table."""
    if validate:
        instance.full_clean()
    instance._history_user = acting_user  # read by django-simple-history
    instance.save()
