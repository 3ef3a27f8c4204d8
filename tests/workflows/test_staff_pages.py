"""Who may see what on the staff pages, and fixed query counts whatever the number of cases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import london
from tests.workflows.conftest import open_task, task_url

pytestmark = pytest.mark.django_db


def test_parent_cannot_open_staff_pages(register, client, parent_user):
    case = register()
    client.force_login(parent_user)
    task = open_task(case, "notify_considering")
    for url in [
        reverse("workflows:queue"),
        reverse("ehc:case_detail", args=[case.pk]),
        task_url(case, task),
        reverse("workflows:register"),
    ]:
        assert client.get(url).status_code == 403, url


def test_anonymous_users_are_sent_to_sign_in(register, client):
    case = register()
    response = client.get(reverse("ehc:case_detail", args=[case.pk]))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_another_teams_case_and_task_are_not_found(register, client, other_caseworker):
    case = register()
    task = open_task(case, "notify_considering")
    client.force_login(other_caseworker)
    assert client.get(reverse("ehc:case_detail", args=[case.pk])).status_code == 404
    assert client.get(task_url(case, task)).status_code == 404
    take = reverse("workflows:task_action", args=[case.pk, task.pk, "take"])
    assert client.post(take).status_code == 404


def test_a_task_under_the_wrong_case_id_is_not_found(register, client, caseworker):
    first, second = register(), register(received=london(2026, 3, 3))
    client.force_login(caseworker)
    task = open_task(first, "notify_considering")
    assert client.get(reverse("workflows:task", args=[second.pk, task.pk])).status_code == 404


def test_caseworker_cannot_reassign_but_manager_can(register, client, caseworker, manager, team):
    team.members.add(manager)
    case = register()
    task = open_task(case, "notify_considering")
    url = reverse("workflows:reassign", args=[case.pk, task.pk])
    client.force_login(caseworker)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    response = client.post(url, {"owner": caseworker.pk})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner == caseworker


def test_someone_elses_task_cannot_be_executed(
    register, client, caseworker, team, django_user_model
):
    from django.contrib.auth.models import Group

    colleague = django_user_model.objects.create_user("colleague", password="x")
    colleague.groups.add(Group.objects.get(name="caseworker"))
    team.members.add(colleague)
    case = register()
    task = open_task(case, "notify_considering")
    client.force_login(caseworker)
    client.post(reverse("workflows:task_action", args=[case.pk, task.pk, "take"]))
    client.force_login(colleague)
    page = client.get(task_url(case, task))
    assert "This task is with" in page.content.decode()
    release = reverse("workflows:task_action", args=[case.pk, task.pk, "release"])
    assert client.post(release).status_code == 403


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("scope", ["mine", "team", "all"])
def test_queue_runs_a_fixed_number_of_queries(register, client, manager, team, scope):
    team.members.add(manager)
    client.force_login(manager)
    url = reverse("workflows:queue") + f"?scope={scope}"
    for day in range(1, 4):
        register(received=london(2026, 3, day))
    few = _queries(client, url)
    for day in range(4, 20):
        register(received=london(2026, 4, day))
    assert _queries(client, url) == few


def test_case_page_runs_a_fixed_number_of_queries(register, walker_for, client):
    from datetime import date

    from tests.workflows.test_assessment_flow import gather_all_advice, notify_and_decide

    small, large = register(), register(received=london(2026, 3, 3))
    walk = walker_for(large)
    notify_and_decide(walk, assess=True, decided_on=date(2026, 4, 6))
    gather_all_advice(walk, date(2026, 4, 8), date(2026, 5, 15))
    assert _queries(client, reverse("ehc:case_detail", args=[small.pk])) == _queries(
        client, reverse("ehc:case_detail", args=[large.pk])
    )


def test_queue_shows_the_tasks_statutory_date_nearest_first(register, client, caseworker):
    older, newer = register(received=london(2026, 3, 2)), register(received=london(2026, 6, 1))
    client.force_login(caseworker)
    page = client.get(reverse("workflows:queue") + "?scope=team").content.decode()
    assert page.index(older.reference) < page.index(newer.reference)
    assert "13 Apr 2026" in page  # A2 for a request received 2 March 2026
    assert "overdue" in page


def test_the_case_page_runs_a_fixed_number_of_queries_as_the_case_grows(
    register, client, caseworker
):
    """More documents, contacts, notes of history and deadlines: the same number of queries."""
    from datetime import date, timedelta

    from django.utils import timezone

    from ehc.models import Contact, RequestDocument
    from ehc.services import deadline_track

    case = register(received=london(2026, 3, 2))
    client.force_login(caseworker)
    url = reverse("ehc:case_detail", args=[case.pk])
    _queries(client, url)  # warm caches the first view fills
    few = _queries(client, url)
    for n in range(5):
        RequestDocument.objects.create(
            case=case,
            file=f"request-documents/q/{n}.pdf",
            original_name=f"report-{n}.pdf",
            content_type="application/pdf",
            size=10,
            uploaded_at=timezone.now() - timedelta(days=1),
        )
        Contact.objects.create(
            child=case.child, full_name=f"Contact {n}", relationship="other", email=""
        )
        child = case.child
        child.first_name = f"Ada{n}"
        child.save()  # a history row each
        deadline_track(  # a clock an app keeps, as a tribunal order's
            case=case,
            source="test",
            kind="Tb-assess",
            subject_key=f"order-{n}",
            starts_on=date(2026, 4, 1),
            due_on=date(2026, 5, 1 + n),
        )
    assert _queries(client, url) == few
