"""One-time links that let a staff member set up their first authenticator app."""

from django.conf import settings
from django.db import models


class EnrolmentLink(models.Model):
    """A link emailed to a staff member's address (or handed over by a manager or
    administrator), without which a password alone cannot set up the second factor. Only a
    hash of the token is kept; the link works once, before it expires, for its own account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The manager or administrator who issued it; empty when the staff member "
        "asked for it to be emailed to them.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Set-up link for user {self.user_id} ({self.created_at:%Y-%m-%d %H:%M})"
