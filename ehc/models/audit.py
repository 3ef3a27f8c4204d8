"""The read audit: who viewed or downloaded a child's record, letter, plan or document, when and
from where. Append-only: rows are never changed or deleted through the ORM, and on PostgreSQL a
trigger refuses UPDATE and DELETE too (migration 0007)."""

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """The read audit is never changed or deleted."""


class ReadAuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The read audit is append-only.")

    def delete(self):
        raise AppendOnlyError("The read audit is append-only.")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("The read audit is append-only.")


class ReadAudit(models.Model):
    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        DOWNLOADED = "downloaded", "Downloaded"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # No database constraint and no cascade: removing an account or a case never touches (and,
    # on PostgreSQL, could not touch) the rows that record what was read.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Kept as text too, so the record stands if the account is renamed or removed.
    username = models.CharField(max_length=150)
    role = models.CharField(max_length=30, help_text="staff or family, when it happened")
    case = models.ForeignKey(
        "ehc.Case",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="read_audit",
    )
    child = models.ForeignKey(
        "ehc.Child",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="read_audit",
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    what = models.CharField(max_length=60, help_text="e.g. case page, letter, plan, document")
    object_id = models.CharField(max_length=40, blank=True)
    path = models.CharField(max_length=500)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = ReadAuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["child", "-at"]), models.Index(fields=["case", "-at"])]

    def __str__(self) -> str:
        return f"{self.username} {self.action} {self.what} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The read audit is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The read audit is append-only.")
