"""The search index: one row of normalised text per indexed record (see ehc.search)."""

from django.db import models


class SearchDocument(models.Model):
    """One indexed record. Its key is `object_id` for models with integer primary keys and
    `object_uuid` for models with UUID ones; `title` (the record's name) is weighted above
    `text` by kinds searched by words (see ehc.search.registry.SearchKind)."""

    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField(null=True, blank=True)
    object_uuid = models.UUIDField(null=True, blank=True)
    scope = models.BigIntegerField(null=True, blank=True)
    title = models.TextField(blank=True, default="")
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once"),
            models.UniqueConstraint(
                fields=["kind", "object_uuid"], name="search_document_uuid_once"
            ),
            models.CheckConstraint(
                condition=models.Q(object_id__isnull=False) | models.Q(object_uuid__isnull=False),
                name="search_document_has_a_key",
            ),
        ]
        indexes = [models.Index(fields=["kind", "scope"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"

    @property
    def key(self) -> object:
        return self.object_id if self.object_id is not None else self.object_uuid


class SearchWord(models.Model):
    """A word of the names indexed for a kind (cases: the child's, the family's, the schools';
    directory services: their names): what a misspelt word in a query is corrected against. Words are added as
    documents are written and kept when a document stops using them (a stale word costs one
    wasted alternative); a kind's words are rewritten with the kind."""

    kind = models.CharField(max_length=40)
    word = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "word"], name="search_word_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.word}"
