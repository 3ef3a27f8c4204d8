"""`manage.py search_reindex`: rewrite every search document and the full-text tables."""

from django.core.management.base import BaseCommand

from ehc.search.service import search_reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index of every registered kind (cases, directory services...)."

    def handle(self, *args: object, **options: object) -> None:
        for kind, count in search_reindex_all().items():
            self.stdout.write(f"{kind}: {count} records indexed")
