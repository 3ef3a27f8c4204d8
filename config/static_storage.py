"""Static files with hashed names and compressed copies, served by WhiteNoise in production."""

import logging
from collections.abc import Iterator

from django.contrib.staticfiles import finders
from django.core.files.storage import Storage
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, tolerant of a dependency's stylesheet that names a missing file.

    django-viewflow ships a font stylesheet whose relative URLs point at files it does not
    ship. The strict storage refuses to collect anything because of it; this one leaves such a
    reference as written (the font is not used by our pages) and collects the rest.
    """

    def hashed_name(self, name: str, content: object = None, filename: str | None = None) -> str:
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            logger.warning("static file %s is referenced but missing; left unhashed", name)
            return name


# Left out of `collectstatic`: the sources and fixtures the npm packages ship beside their
# built files, and django-viewflow's own frontend (143 MB we never serve: our pages use GOV.UK
# Frontend). Collecting and compressing drops from minutes to seconds.
COLLECT_IGNORE = ["viewflow", "*.scss", "*.njk", "*.md", "*.json", "*.html", "*.yaml"]


class FileSystemFinder(finders.FileSystemFinder):
    def list(self, ignore_patterns: list[str] | None) -> Iterator[tuple[str, Storage]]:
        return super().list([*(ignore_patterns or []), *COLLECT_IGNORE])


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    def list(self, ignore_patterns: list[str] | None) -> Iterator[tuple[str, Storage]]:
        return super().list([*(ignore_patterns or []), *COLLECT_IGNORE])
