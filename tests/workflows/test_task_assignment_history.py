"""Who held each task, and who moved it, is recorded and shown on the case page."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from ehc import roles
from tests.pages.walker import fill, read_page
from tests.workflows.conftest import open_task
from workflows.models import TaskAssignmentChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(team, django_user_model):
    user = django_user_model.objects.create_user(
        "rowan", password="test-password-1", first_name="Rowan", last_name="Colleague"
    )
    user.groups.add(Group.objects.get(name=roles.CASEWORKER))
    team.members.add(user)
    return user


def _submit_owner_form(client, url: str, owner) -> None:
    """Choose `owner` on the page's form, as a manager would, and send it."""
    page = read_page(url, client.get(url).content.decode())
    form = next(f for f in page.forms if "owner" in f.names)
    data = fill(form)
    options = next(c for c in form.controls if c.name == "owner")
    assert str(owner.pk) in [value for value, _ in options.options]
    data["owner"] = str(owner.pk)
    assert client.post(url, data).status_code == 302


def test_taking_reassigning_and_moving_with_the_case_are_recorded_and_shown(
    register, client, caseworker, colleague, manager, team
):
    team.members.add(manager)
    case = register()
    task = open_task(case, "notify_considering")

    client.force_login(caseworker)
    client.post(reverse("workflows:task_action", args=[case.pk, task.pk, "take"]))

    client.force_login(manager)
    _submit_owner_form(client, reverse("workflows:reassign", args=[case.pk, task.pk]), colleague)
    _submit_owner_form(client, reverse("workflows:case_reassign", args=[case.pk]), caseworker)

    changes = list(TaskAssignmentChange.objects.filter(task=task).order_by("id"))
    assert [(c.how, c.from_user, c.to_user, c.changed_by) for c in changes] == [
        ("taken", None, caseworker, caseworker),
        ("reassigned", caseworker, colleague, manager),
        ("moved_with_case", colleague, caseworker, manager),
    ]
    assert all(c.case == case and c.task_title for c in changes)

    page = client.get(reverse("ehc:case_detail", args=[case.pk])).content.decode()
    section = page[page.index('id="task-holders"') :]
    assert "Reassigned" in section and "Moved with the case" in section and "Taken" in section
    assert "Rowan Colleague" in section and manager.display_name() in section


def test_releasing_is_recorded_and_a_refused_reassignment_records_nothing(
    register, client, caseworker, other_caseworker
):
    case = register()
    task = open_task(case, "notify_considering")
    client.force_login(caseworker)
    client.post(reverse("workflows:task_action", args=[case.pk, task.pk, "take"]))
    client.post(reverse("workflows:task_action", args=[case.pk, task.pk, "release"]))
    assert [c.how for c in TaskAssignmentChange.objects.order_by("id")] == ["taken", "released"]
    assert TaskAssignmentChange.objects.order_by("id").last().from_user == caseworker

    # Another team's caseworker cannot take it, and nothing is written.
    client.force_login(other_caseworker)
    take = reverse("workflows:task_action", args=[case.pk, task.pk, "take"])
    assert client.post(take).status_code == 404
    # A caseworker cannot reassign.
    client.force_login(caseworker)
    url = reverse("workflows:reassign", args=[case.pk, task.pk])
    assert client.post(url, {"owner": caseworker.pk}).status_code == 403
    assert TaskAssignmentChange.objects.count() == 2


def test_a_cancelled_task_cannot_be_released_or_taken_even_by_an_administrator(
    register, client, caseworker, django_user_model
):
    from viewflow.workflow.status import STATUS

    case = register()
    task = open_task(case, "notify_considering")
    client.force_login(caseworker)
    client.post(reverse("workflows:task_action", args=[case.pk, task.pk, "take"]))
    type(task).objects.filter(pk=task.pk).update(status=STATUS.CANCELED)
    admin = django_user_model.objects.create_superuser("root", "root@example.gov.uk", "x" * 12)
    client.force_login(admin)
    for action in ("release", "take"):
        response = client.post(reverse("workflows:task_action", args=[case.pk, task.pk, action]))
        assert response.status_code == 302, action
        assert response["Location"] == reverse("ehc:case_detail", args=[case.pk])
    assert TaskAssignmentChange.objects.filter(task=task).count() == 1  # the take only
