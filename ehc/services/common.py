"""Small pieces every service uses: today's date in the LA's time zone, audited saves."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from ehc.models import User


def local_today() -> date:
    return timezone.localdate()


def save_audited(
    instance: models.Model, *, acting_user: User | None, validate: bool = True
) -> None:
    """Validate and save, recording who made the change in the history table."""
    if validate:
        instance.full_clean()
    instance._history_user = acting_user  # type: ignore[attr-defined]  # django-simple-history reads it
    instance.save()
