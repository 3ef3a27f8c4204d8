"""Supporting documents: PDF, JPEG/PNG and Word only, judged by content not name, with a limit
per file and in total; kept under MEDIA_ROOT and never served except through the access check."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ehc.models import RequestDocument
from tests.family.conftest import JPEG_BYTES, PDF_BYTES, PNG_BYTES, default_answers, docx_bytes

pytestmark = pytest.mark.django_db

DOCS = reverse("request:documents")


@pytest.fixture
def at_documents(walker):
    walker.answer_all(default_answers(), stop_before="documents")
    return walker


def _upload(client, name, content, button="upload", content_type="application/octet-stream"):
    return client.post(
        DOCS, {button: "", "document": SimpleUploadedFile(name, content, content_type)}
    )


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("report.pdf", PDF_BYTES, "application/pdf"),
        ("photo.png", PNG_BYTES, "image/png"),
        ("photo.jpeg", JPEG_BYTES, "image/jpeg"),
        (
            "letter.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("scan.pdf", PNG_BYTES, "image/png"),  # named .pdf, but a PNG: accepted as what it is
    ],
)
def test_allowed_files_are_kept_by_their_content(at_documents, client, name, content, content_type):
    response = _upload(client, name, content)
    assert response.status_code == 302
    documents = client.session["ehc_request"]["documents"]
    assert [d["original_name"] for d in documents] == [name]
    assert documents[0]["content_type"] == content_type
    stored = _stored_files()
    assert len(stored) == 1 and stored[0].read_bytes() == content
    assert not stored[0].name.startswith(name.split(".")[0])  # we name files, not the uploader
    page = client.get(DOCS).content.decode()
    assert name in page and "Remove" in page


@pytest.mark.parametrize(
    "name, content",
    [
        ("report.pdf", b"This is plain text pretending to be a PDF."),
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100),  # a Windows program
        ("archive.docx", b"PK\x03\x04" + b"\x00" * 100),  # a zip, not a Word document
        ("page.html", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_files_that_are_not_documents_are_refused(at_documents, client, name, content):
    response = _upload(client, name, content, content_type="application/pdf")
    page = response.content.decode()
    assert response.status_code == 200
    assert "The selected file must be a PDF, JPEG, PNG or Word document" in page
    assert "govuk-error-summary" in page
    assert client.session["ehc_request"]["documents"] == []
    assert _stored_files() == []


def test_an_empty_file_is_refused(at_documents, client):
    page = _upload(client, "empty.pdf", b"").content.decode()
    assert "The selected file is empty" in page
    assert _stored_files() == []


def test_a_file_over_the_size_limit_is_refused(at_documents, client, settings):
    settings.EHC_REQUEST_MAX_FILE_BYTES = 1024 * 1024
    big = PDF_BYTES + b"0" * (1024 * 1024)
    page = _upload(client, "big.pdf", big).content.decode()
    assert "The selected file must be smaller than 1MB" in page
    assert _stored_files() == []


def test_files_over_the_total_limit_are_refused(at_documents, client, settings):
    settings.EHC_REQUEST_MAX_FILE_BYTES = 1024 * 1024
    settings.EHC_REQUEST_MAX_TOTAL_BYTES = 1024 * 1024
    half = PDF_BYTES + b"0" * (600 * 1024)
    assert _upload(client, "one.pdf", half).status_code == 302
    page = _upload(client, "two.pdf", half).content.decode()
    assert "Your files together must be smaller than 1MB" in page
    assert len(_stored_files()) == 1


def test_too_many_files_are_refused(at_documents, client, settings):
    settings.EHC_REQUEST_MAX_FILES = 2
    for n in range(2):
        assert _upload(client, f"{n}.pdf", PDF_BYTES).status_code == 302
    assert "You can upload up to 2 files" in _upload(client, "3.pdf", PDF_BYTES).content.decode()


def test_upload_without_a_file_says_so(at_documents, client):
    page = client.post(DOCS, {"upload": ""}).content.decode()
    assert "Select a file to upload" in page


def test_continue_with_a_file_uploads_it_and_moves_on(at_documents, client):
    response = _upload(client, "report.pdf", PDF_BYTES, button="continue")
    assert response["Location"] == reverse("request:step", args=["privacy-and-consent"])
    assert len(client.session["ehc_request"]["documents"]) == 1


def test_continue_with_a_bad_file_stays_on_the_page(at_documents, client):
    response = _upload(client, "report.pdf", b"nope", button="continue")
    assert response.status_code == 200
    assert "documents" not in client.session["ehc_request"]["answers"]


def test_remove_deletes_the_file(at_documents, client):
    _upload(client, "report.pdf", PDF_BYTES)
    document = client.session["ehc_request"]["documents"][0]
    response = client.post(reverse("request:document_remove", args=[document["id"]]))
    assert response["Location"] == DOCS
    assert client.session["ehc_request"]["documents"] == []
    assert _stored_files() == []


def test_documents_are_attached_to_the_case_on_submit(walker, client):
    walker.answer_all(default_answers(), stop_before="documents")
    _upload(client, "report.pdf", PDF_BYTES)
    _upload(client, "photo.png", PNG_BYTES, button="continue")
    walker.answer("privacy-and-consent", {"consent": "on"})
    assert "report.pdf" in client.get(reverse("request:check")).content.decode()
    walker.submit()
    documents = list(RequestDocument.objects.order_by("id"))
    assert [d.original_name for d in documents] == ["report.pdf", "photo.png"]
    assert [d.content_type for d in documents] == ["application/pdf", "image/png"]
    assert documents[0].file.read() == PDF_BYTES
    assert Path(documents[0].file.path).is_relative_to(Path(settings.MEDIA_ROOT))


def test_media_is_not_served_publicly(client, db):
    assert client.get(settings.MEDIA_URL + "request-documents/x.pdf").status_code == 404


def test_uploaded_names_are_cleaned_for_display():
    from family.services import _display_name

    assert _display_name("../../etc/passwd") == "passwd"
    assert _display_name("C:\\Users\\ann\\report.pdf") == "report.pdf"
    assert _display_name("bad\x00name\n.pdf") == "badname.pdf"
    assert _display_name("") == "document"


def test_files_from_journeys_never_sent_are_purged(walker, client, settings):
    from datetime import timedelta

    from family.services import abandoned_documents_purge

    walker.answer_all(default_answers(), stop_before="documents")
    _upload(client, "sent.pdf", PDF_BYTES, button="continue")
    walker.answer("privacy-and-consent", {"consent": "on"})
    walker.submit()
    walker.answer_all(default_answers(), stop_before="documents")  # a second journey...
    _upload(client, "abandoned.pdf", PDF_BYTES)  # ...never sent
    assert len(_stored_files()) == 2
    assert abandoned_documents_purge(older_than=timedelta(days=1)) == 0  # too recent
    assert abandoned_documents_purge(older_than=timedelta(seconds=-1)) == 1
    assert [p.read_bytes() for p in _stored_files()] == [PDF_BYTES]
    assert RequestDocument.objects.get().file.read() == PDF_BYTES


def test_the_staff_include_shows_the_request_and_its_documents(walker, client):
    from django.template.loader import render_to_string

    from ehc.models import Case

    walker.answer_all(default_answers(), stop_before="documents")
    _upload(client, "report.pdf", PDF_BYTES, button="continue")
    walker.answer("privacy-and-consent", {"consent": "on"})
    walker.submit()
    case = Case.objects.get()
    html = render_to_string("family/_request_for_staff.html", {"case": case})
    assert "Reading, writing and noisy rooms." in html and "To be an engineer." in html
    document = RequestDocument.objects.get()
    assert reverse("family:document", args=[case.pk, document.pk]) in html
