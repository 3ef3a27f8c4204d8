"""Fixtures for the public request journey and the family's pages.

`walk` drives the real pages with the Django test client, one POST per question, exactly as a
browser without JavaScript would; tests change one answer at a time from the defaults below.
"""

import io
import zipfile
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from ehc import roles
from ehc.models import User
from tests.conftest import _user_in_role

# Smallest files each checker recognises by content.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def date_parts(name: str, value: date) -> dict:
    return {
        f"{name}_0": str(value.day),
        f"{name}_1": str(value.month),
        f"{name}_2": str(value.year),
    }


def default_answers(requester: str = "parent") -> dict[str, dict]:
    """The answers for every page, keyed by the page's slug, in journey order."""
    answers = {
        "who-is-asking": {"requester_type": requester},
        "child-or-young-person": {
            "first_name": "Ada",
            "last_name": "Lovelace",
            **date_parts("date_of_birth", date(2015, 5, 1)),
        },
        "contact-details": {
            "full_name": "Ann Lovelace",
            "relationship": "parent",
            "preferred_contact_method": "email",
            "email": "ann@example.com",
            "phone": "",
            "address": "",
            "communication_needs": "",
        },
        "another-parent-or-carer": {"another": "no"},
        "school-or-setting": {"setting_name": "Oakfield Primary", "setting_urn": "123456"},
        "what-they-find-difficult": {"needs": "Reading, writing and noisy rooms."},
        "support-so-far": {"support": "Small-group reading with the SENCO since Year 1."},
        "views-interests-and-hopes": {
            "views": "Ada says she wants help with reading.",
            "interests": "Maths, drawing and swimming.",
            "aspirations": "To be an engineer.",
            "family_views": "A reading specialist and a quiet space.",
        },
        "documents": {"continue": ""},
        "privacy-and-consent": {"consent": "on"},
    }
    if requester == "young_person":
        answers["child-or-young-person"] = {
            "first_name": "Sam",
            "last_name": "Taylor",
            **date_parts("date_of_birth", date(2007, 1, 10)),
        }
        answers["contact-details"].pop("relationship")
        answers["contact-details"].update(full_name="Sam Taylor", email="sam@example.com")
    if requester == "school":
        answers = {
            "who-is-asking": answers["who-is-asking"],
            "about-you": {
                "full_name": "Jo Bloggs",
                "job_title": "SENCO",
                "organisation": "Oakfield Primary",
                "email": "senco@oakfield.example.sch.uk",
                "phone": "01632 960 001",
                "family_knows": "on",
            },
            **{k: v for k, v in answers.items() if k != "who-is-asking"},
        }
        answers["privacy-and-consent"] = {"consent": "on"}
    return answers


def step_url(slug: str) -> str:
    return reverse("request:step", args=[slug])


class Walker:
    """Answers the journey's pages through the test client."""

    def __init__(self, client):
        self.client = client

    def begin(self):
        response = self.client.get(reverse("request:begin"))
        assert response.status_code == 302
        return response

    def answer(self, slug: str, data: dict, *, expect_redirect=True, change=False):
        url = step_url(slug) + ("?change=1" if change else "")
        response = self.client.post(url, data)
        if expect_redirect:
            assert response.status_code == 302, _errors(response)
        return response

    def answer_all(self, answers: dict[str, dict], *, stop_before: str | None = None):
        self.begin()
        for slug, data in answers.items():
            if slug == stop_before:
                return
            self.answer(slug, data)

    @property
    def key(self) -> str:
        return self.client.session["ehc_request"]["id"]

    def submit(self, key: str | None = None):
        return self.client.post(reverse("request:submit"), {"key": key or self.key})

    def complete(self, answers=None, requester="parent"):
        """Every page, then check answers, then send. Returns the submit response."""
        self.answer_all(answers or default_answers(requester))
        check = self.client.get(reverse("request:check"))
        assert check.status_code == 200, check.get("Location")
        return self.submit()


def _errors(response) -> str:
    text = response.content.decode()
    start = text.find("govuk-error-summary")
    return text[start : start + 1500] if start >= 0 else text[:800]


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    """Uploaded files go to a temporary MEDIA_ROOT; rate-limit counts start at zero."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def walker(client, db, team) -> Walker:
    return Walker(client)


@pytest.fixture
def other_parent(db) -> User:
    return _user_in_role(
        "other@example.com",
        roles.PARENT,
        first_name="Olive",
        last_name="Other",
        email="other@example.com",
    )
