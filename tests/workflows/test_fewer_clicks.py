"""Fewer clicks for a caseworker: each page filled as it is shown (tests.pages.walker), and the
effect checked. Advice asked and received on one page; the consultation steps on one form;
after a task, the case's next task when it is the caseworker's; the case page's contents."""

from datetime import date

import pytest
from django.urls import reverse

from ehc.models import CaseEvent, Setting
from ehc.services import case_assign
from tests.pages.walker import fill, read_page

from .conftest import date_fields, open_task, task_url
from .test_assessment_flow import ADVISERS, draft_and_serve, notify_and_decide

pytestmark = pytest.mark.django_db


def _form(client, url, field):
    page = read_page(url, client.get(url).content.decode())
    return next(f for f in page.forms if field in f.names)


def _assigned(register, caseworker):
    case = register()
    case_assign(case=case, caseworker=caseworker, acting_user=caseworker)
    return case


def test_advice_asked_and_received_in_one_submission(register, walker_for, client, caseworker):
    case = _assigned(register, caseworker)
    walk = walker_for(case)
    notify_and_decide(walk, assess=True, decided_on=date(2026, 4, 6))
    task = walk.take("advice_medical")
    url = task_url(case, task)
    form = _form(client, url, "asked_on_0")
    assert {"asked_on_0", "adviser_name", "received_on_0", "summary"} <= form.names
    data = fill(form)
    data.update(
        {
            **date_fields("asked_on", date(2026, 4, 8)),
            **date_fields("received_on", date(2026, 5, 12)),
            "adviser_name": "Community paediatrics",
            "summary": "Report attached",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    kinds = set(case.events.filter(subject_key="medical").values_list("kind", flat=True))
    assert kinds == {CaseEvent.Kind.ADVICE_REQUESTED, CaseEvent.Kind.ADVICE_RECEIVED}
    task.refresh_from_db()
    assert task.status == "DONE"
    # The caseworker is sent on to their next open task of the case, not back to the case.
    assert response["Location"].startswith(f"/staff/cases/{case.pk}/tasks/")


def test_advice_received_before_asked_on_one_page_saves_neither(
    register, walker_for, client, caseworker
):
    case = _assigned(register, caseworker)
    walk = walker_for(case)
    notify_and_decide(walk, assess=True, decided_on=date(2026, 4, 6))
    url = task_url(case, walk.take("advice_medical"))
    data = fill(_form(client, url, "asked_on_0"))
    data.update(
        {
            **date_fields("asked_on", date(2026, 4, 10)),
            **date_fields("received_on", date(2026, 4, 9)),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert not case.events.filter(subject_key="medical").exists()


def test_asking_each_adviser_in_turn_is_one_click_each(register, walker_for, client, caseworker):
    case = _assigned(register, caseworker)
    walk = walker_for(case)
    notify_and_decide(walk, assess=True, decided_on=date(2026, 4, 6))
    url = task_url(case, walk.take(f"advice_{ADVISERS[0]}"))
    visited = []
    while url.startswith(f"/staff/cases/{case.pk}/tasks/"):
        visited.append(url)
        form = _form(client, url, "asked_on_0")
        data = fill(form)
        data.update({**date_fields("asked_on", date(2026, 4, 8)), "received_on_0": ""})
        data.update({"received_on_1": "", "received_on_2": "", "summary": ""})
        response = client.post(url, data)
        assert response.status_code == 302
        url = response["Location"]
    assert url == reverse("ehc:case_detail", args=[case.pk])
    assert len(visited) == len(ADVISERS)
    assert case.events.filter(kind=CaseEvent.Kind.ADVICE_REQUESTED).count() == len(ADVISERS)


def test_completing_a_task_opens_the_next_one_when_it_is_yours(
    register, walker_for, client, caseworker
):
    case = _assigned(register, caseworker)
    walk = walker_for(case)
    task = walk.take("notify_considering")
    response = client.post(
        task_url(case, task), {**date_fields("notified_on", date(2026, 3, 3)), "recipients": "ICB"}
    )
    assert response["Location"] == task_url(case, open_task(case, "decide_to_assess"))
    # The success banner shows on the next task's page.
    assert "Recorded who was told" in client.get(response["Location"]).content.decode()


def test_with_no_task_of_yours_next_you_go_back_to_the_case(
    register, walker_for, client, caseworker, team
):
    from tests.conftest import _user_in_role

    colleague = _user_in_role("robin", "caseworker", first_name="Robin", last_name="Colleague")
    team.members.add(colleague)
    case = _assigned(register, caseworker)
    walk = walker_for(case)
    task = walk.take("notify_considering")
    case_assign(case=case, caseworker=colleague, acting_user=caseworker)  # the next one is theirs
    response = client.post(
        task_url(case, task), {**date_fields("notified_on", date(2026, 3, 3)), "recipients": "ICB"}
    )
    assert open_task(case, "decide_to_assess").owner == colleague
    assert response["Location"] == reverse("ehc:case_detail", args=[case.pk])


@pytest.fixture
def consulting(register, walker_for, caseworker):
    from .test_assessment_flow import gather_all_advice

    case = _assigned(register, caseworker)
    walk = walker_for(case)
    notify_and_decide(walk, assess=True, decided_on=date(2026, 4, 6))
    gather_all_advice(walk, date(2026, 4, 8), date(2026, 5, 15))
    draft_and_serve(walk, served_on=date(2026, 6, 10))
    return case, walk


def test_the_consultation_steps_are_one_form(consulting, client):
    case, walk = consulting
    school = Setting.objects.create(
        name="Oakfield Primary", kind="school", phase="primary", urn="100001"
    )
    url = task_url(case, walk.take("consult_settings"))
    form = _form(client, url, "views_summary")
    assert {"views_received_on_0", "consult_setting", "reply_setting", "action"} <= form.names
    buttons = {c.value for c in form.buttons() if c}
    assert buttons == {"save", "done"}
    data = {
        **{k: v for k, v in fill(form).items() if k in ("submission_token", "csrfmiddlewaretoken")},
        **date_fields("views_received_on", date(2026, 6, 15)),
        "views_summary": "Happy with the draft; would like Oakfield",
        # The setting boxes search the register: a person types the URN (or the name).
        "requested_setting": school.urn,
        "consult_setting": school.urn,
        **date_fields("consulted_on", date(2026, 6, 16)),
        "action": "save",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url  # stays to add replies
    assert case.events.filter(kind=CaseEvent.Kind.REPRESENTATIONS_RECEIVED).exists()
    assert case.events.filter(kind=CaseEvent.Kind.SETTING_CONSULTED).exists()
    form = _form(client, url, "views_summary")
    data = {
        **{k: v for k, v in fill(form).items() if k in ("submission_token",)},
        "reply_setting": school.urn,
        **date_fields("replied_on", date(2026, 6, 20)),
        "reply_summary": "We can meet the needs",
        "action": "done",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert case.events.filter(kind=CaseEvent.Kind.SETTING_REPLIED).exists()
    assert response["Location"] == task_url(case, open_task(case, "issue_final_plan"))


def test_a_half_filled_part_of_the_consultation_form_is_refused(consulting, client):
    case, walk = consulting
    url = task_url(case, walk.take("consult_settings"))
    form = _form(client, url, "views_summary")
    token = fill(form)["submission_token"]
    response = client.post(
        url, {"submission_token": token, "views_summary": "No date given", "action": "done"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in body
    assert "Enter date the family" in body
    assert not case.events.filter(kind=CaseEvent.Kind.REPRESENTATIONS_RECEIVED).exists()
    assert open_task(case, "consult_settings")


def test_the_case_page_has_its_contents_first(register, client, caseworker):
    case = _assigned(register, caseworker)
    client.force_login(caseworker)
    page = read_page("/", client.get(reverse("ehc:case_detail", args=[case.pk])).content.decode())
    anchors = [link[1:] for link in page.links if link.startswith("#") and link != "#main-content"]
    assert anchors[:2] == ["tasks", "deadlines"]
    assert {"family", "timeline", "history"} <= set(anchors)
    assert set(anchors) <= page.ids  # every link lands somewhere
