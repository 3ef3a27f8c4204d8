"""Reads of a child's record are recorded, append-only, and a manager sees who looked."""

import csv
import io

import pytest
from django.urls import reverse

from ehc.models import ReadAudit
from ehc.models.audit import AppendOnlyError

pytestmark = pytest.mark.django_db


def test_staff_and_family_views_are_recorded_and_a_manager_sees_them(
    client, caseworker, manager, parent_user, make_case
):
    case = make_case(parent=parent_user)
    client.force_login(caseworker)
    assert (
        client.get(reverse("ehc:case_detail", args=[case.pk]), REMOTE_ADDR="192.0.2.5").status_code
        == 200
    )
    client.force_login(parent_user)
    assert client.get(reverse("family:case_detail", args=[case.pk])).status_code == 200
    rows = list(ReadAudit.objects.filter(child=case.child).order_by("id"))
    assert [(r.username, r.role) for r in rows] == [
        ("casey", "staff"),
        ("pat@example.com", "family"),
    ]
    assert rows[0].ip_address == "192.0.2.5" and rows[0].case == case

    client.force_login(manager)
    page = client.get(reverse("child_reads", args=[case.pk])).content.decode()
    assert "casey (staff)" in page and "pat@example.com (family)" in page
    response = client.get(reverse("child_reads", args=[case.pk]) + "?format=csv")
    assert "no-store" in response["Cache-Control"]
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0][:3] == ["when", "who", "role"]
    assert {row[1] for row in table[1:]} >= {"casey", "pat@example.com"}


def test_only_managers_see_who_looked(client, caseworker, make_case):
    case = make_case()
    client.force_login(caseworker)
    assert client.get(reverse("child_reads", args=[case.pk])).status_code == 403


def test_a_document_download_is_recorded(client, parent_user, make_case, settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from ehc.models import RequestDocument

    settings.MEDIA_ROOT = str(tmp_path)
    case = make_case(parent=parent_user)
    name = default_storage.save("request-documents/x/report.pdf", ContentFile(b"%PDF-1.4"))
    document = RequestDocument.objects.create(
        case=case,
        file=name,
        original_name="report.pdf",
        content_type="application/pdf",
        size=8,
        uploaded_at=timezone.now(),
    )
    client.force_login(parent_user)
    response = client.get(reverse("family:document", args=[case.pk, document.pk]))
    assert response.status_code == 200
    read = ReadAudit.objects.get(action=ReadAudit.Action.DOWNLOADED)
    assert read.object_id == str(document.pk) and read.what == "family:document"
    assert document.history.count() == 1  # RequestDocument keeps its history


def test_the_audit_is_append_only(client, caseworker, make_case):
    case = make_case()
    client.force_login(caseworker)
    client.get(reverse("ehc:case_detail", args=[case.pk]))
    read = ReadAudit.objects.get()
    read.username = "someone-else"
    with pytest.raises(AppendOnlyError):
        read.save()
    with pytest.raises(AppendOnlyError):
        read.delete()
    with pytest.raises(AppendOnlyError):
        ReadAudit.objects.filter(pk=read.pk).update(username="x")
    with pytest.raises(AppendOnlyError):
        ReadAudit.objects.all().delete()
    assert ReadAudit.objects.get().username == "casey"


def test_user_history_records_roles_activity_and_password_changes(caseworker):
    from django.contrib.auth.models import Group

    caseworker.groups.add(Group.objects.get(name="manager"))
    caseworker.is_active = False
    caseworker.save()
    caseworker.set_password("another-long-password-1")
    caseworker.save()
    history = list(caseworker.history.order_by("history_id"))
    assert history[-2].is_active is False
    assert history[-1].password != history[-2].password
    assert {g.group.name for g in history[-1].groups.all()} == {"caseworker", "manager"}
