"""A move between post-16 institutions at another time (R16): the page a caseworker records it
on, the 5-months-before clock, and the refusals (nothing saved)."""

from datetime import date

import pytest
from django.urls import reverse

from ehc.models import Deadline, Setting
from reviews import life
from reviews.models import MaintainedPlan, Post16Move
from tests.reviews.conftest import import_rows
from tests.reviews.htmlforms import date_values, form_with

pytestmark = pytest.mark.django_db

# Born March 2008: 18 on 31 August 2026, at college.
ROW = "LEG-1,Ada,Lovelace,2008-03-05,2022-06-01,2026-06-02,2026-06-20,,ASD,casey"


@pytest.fixture
def plan(caseworker) -> MaintainedPlan:
    import_rows(ROW)
    return MaintainedPlan.objects.get()


@pytest.fixture
def college(db) -> Setting:
    return Setting.objects.create(
        name="Riverside College", kind=Setting.Kind.POST16, phase=Setting.Phase.POST16
    )


def test_caseworker_records_a_planned_post16_move_from_the_plan_page(
    client, caseworker, plan, college
):
    client.force_login(caseworker)
    plan_page = client.get(reverse("reviews:plan", args=[plan.case_id])).content.decode()
    url = reverse("reviews:post16_move", args=[plan.case_id])
    assert url in plan_page
    form = form_with(client.get(url).content, "move_on_0")
    assert str(college.pk) in form.fields["new_setting"]
    response = client.post(
        url, form.fill({**date_values("move_on", date(2027, 4, 12)), "new_setting": college.pk})
    )
    assert response.status_code == 302
    move = Post16Move.objects.get()
    assert move.new_setting == college
    r16 = Deadline.objects.get(case=plan.case, kind="R16")
    assert r16.due_on == date(2026, 11, 12)  # 5 months before 12 April 2027
    assert r16.subject_key == f"post16:{move.pk}"
    page = client.get(reverse("reviews:plan", args=[plan.case_id])).content.decode()
    assert "Post-16 move to Riverside College planned for 12 April 2027" in page


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"move_on": date(2026, 11, 2), "new_setting_name": "Hill College"}, "after today"),
        ({"move_on": date(2027, 4, 12)}, "Choose the new college"),
    ],
)
def test_bad_post16_move_shows_the_error_summary_and_saves_nothing(
    client, caseworker, plan, college, values, message
):
    client.force_login(caseworker)
    url = reverse("reviews:post16_move", args=[plan.case_id])
    form = form_with(client.get(url).content, "move_on_0")
    data = {**date_values("move_on", values.pop("move_on")), **values}
    response = client.post(url, form.fill(data))
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and message in page
    assert not Post16Move.objects.exists()
    assert not Deadline.objects.filter(kind="R16").exists()


def test_a_child_before_post16_is_sent_to_the_phase_transfer_review(caseworker, primary):
    import_rows("LEG-6,Ben,Okafor,2015-10-10,2021-01-10,2025-12-01,2025-12-20,123456,SLCN,casey")
    with pytest.raises(Exception, match="phase-transfer review"):
        life.post16_move_record(
            plan=MaintainedPlan.objects.get(),
            move_on=date(2027, 4, 12),
            new_setting=None,
            new_setting_name="Hill College",
            acting_user=caseworker,
        )
    assert not Post16Move.objects.exists()
