"""Documents go through Django's storage API only, so object storage can hold them when web
processes run on several machines (EHC_FILE_STORAGE). Here an in-memory storage stands in for
the object store: nothing may touch MEDIA_ROOT, and staff still download the file."""

from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage, default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ehc.models import Case, RequestDocument
from tests.family.conftest import PDF_BYTES, default_answers


@pytest.fixture
def object_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    yield
    settings.STORAGES = {**settings.STORAGES}


def test_a_document_is_kept_and_served_through_the_storage_api(
    object_storage, walker, client, caseworker, settings
):
    walker.answer_all(default_answers(), stop_before="documents")
    response = client.post(
        reverse("request:documents"),
        {"continue": "", "document": SimpleUploadedFile("report.pdf", PDF_BYTES, "text/plain")},
    )
    assert response.status_code == 302
    walker.answer("privacy-and-consent", {"consent": "on"})
    walker.submit()
    document = RequestDocument.objects.get()
    assert isinstance(storages["default"], InMemoryStorage)
    assert default_storage.exists(document.file.name)
    assert not Path(settings.MEDIA_ROOT).exists() or not any(
        Path(settings.MEDIA_ROOT).rglob("*.pdf")
    )

    case = Case.objects.get()
    client.force_login(caseworker)
    download = client.get(reverse("family:document", args=[case.pk, document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
