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


# -- the clock is met by the amended plan naming the new institution (R16) ----------------------


def _amend(plan, caseworker, *, named_setting, setting_type, issued_on: date):
    """Review the plan, propose amendments today, and issue them on `issued_on`."""
    import time_machine

    from reviews import services
    from tests.conftest import london

    review = services.review_open(plan=plan, acting_user=caseworker)
    services.review_meeting_record(
        review=review,
        held_on=date(2026, 10, 20),
        adulthood_discussed="Moving college; travel training.",
        acting_user=caseworker,
    )
    services.review_decision_record(
        review=review,
        details=services.ReviewDecision(
            decision="amend",
            decided_on=date(2026, 11, 2),
            reasons="A move of college is planned.",
            proposed_sections={"section_f": "Support at the new college."},
            evidence="The college's offer letter.",
        ),
        acting_user=caseworker,
    )
    with time_machine.travel(london(issued_on.year, issued_on.month, issued_on.day, 12)):
        services.amended_plan_issue(
            review=review,
            issued_on=issued_on,
            named_setting=named_setting,
            setting_type=setting_type,
            family_views="",
            acting_user=caseworker,
        )


@pytest.mark.parametrize(
    ("destination", "named", "setting_type", "issued_on", "met"),
    [
        # Named by the register entry, before the day 5 months ahead of the move: met.
        ("college", "college", "", date(2026, 11, 20), True),
        # Named by the name given for a college not in the register: met.
        ("Hill College", None, "Hill  college", date(2026, 11, 20), True),
        # Issued after that day but before the move: met, late.
        ("college", "college", "", date(2027, 2, 1), True),
        # An amended plan naming somewhere else: the clock keeps running.
        ("college", None, "Sixth form at the current school", date(2026, 11, 20), False),
    ],
)
def test_r16_is_met_by_the_amended_plan_naming_the_new_institution(
    caseworker, plan, college, destination, named, setting_type, issued_on, met
):
    move = life.post16_move_record(
        plan=plan,
        move_on=date(2027, 6, 30),
        new_setting=college if destination == "college" else None,
        new_setting_name="" if destination == "college" else destination,
        acting_user=caseworker,
    )
    r16 = Deadline.objects.get(case=plan.case, subject_key=f"post16:{move.pk}")
    assert r16.due_on == date(2027, 1, 30) and r16.is_open
    _amend(
        plan,
        caseworker,
        named_setting=college if named == "college" else None,
        setting_type=setting_type,
        issued_on=issued_on,
    )
    r16.refresh_from_db()
    if met:
        assert r16.met_on == issued_on and not r16.is_open
        late = issued_on > r16.due_on  # done, but after the day: recorded as missed
        assert r16.status == (Deadline.Status.BREACHED if late else Deadline.Status.MET)
    else:
        assert r16.met_on is None and r16.is_open
        assert r16.status == Deadline.Status.RUNNING


# -- a plan that already names the new institution when the move is recorded (R16) -----------


@pytest.mark.parametrize(
    ("named", "setting_type", "move_on", "status"),
    [
        # Amended to name the college on 20 November, the move recorded on 1 December for
        # 30 June: R16 (due 30 January) was met when that plan was issued.
        ("college", "", date(2027, 6, 30), Deadline.Status.MET),
        # The same plan, named only by the name of a college not in the register.
        (None, "Hill  College", date(2027, 6, 30), Deadline.Status.MET),
        # A move on 30 April 2027 was due its amended plan by 30 November 2026 (5 months
        # before, R16 counts back): the plan of 20 November was in time.
        ("college", "", date(2027, 4, 30), Deadline.Status.MET),
        # A move on 10 April 2027: due by 10 November 2026, so the plan of the 20th was late.
        ("college", "", date(2027, 4, 10), Deadline.Status.BREACHED),
        # A plan naming somewhere else: the clock runs from the day the move is recorded.
        (None, "Sixth form at the current school", date(2027, 6, 30), Deadline.Status.RUNNING),
    ],
)
def test_a_move_recorded_after_the_plan_already_names_the_new_institution_has_r16_met(
    client, caseworker, plan, college, named, setting_type, move_on, status
):
    import time_machine

    from tests.conftest import london

    _amend(
        plan,
        caseworker,
        named_setting=college if named == "college" else None,
        setting_type=setting_type,
        issued_on=date(2026, 11, 20),
    )
    by_name = named is None and setting_type.startswith("Hill")
    url = reverse("reviews:post16_move", args=[plan.case_id])
    with time_machine.travel(london(2026, 12, 1, 12), tick=False):
        client.force_login(caseworker)
        form = form_with(client.get(url).content, "move_on_0")
        choice = {"new_setting_name": "Hill College"} if by_name else {"new_setting": college.pk}
        response = client.post(url, form.fill({**date_values("move_on", move_on), **choice}))
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
    move = Post16Move.objects.get()
    r16 = Deadline.objects.get(case=plan.case, kind="R16", subject_key=f"post16:{move.pk}")
    assert r16.status == status
    if status == Deadline.Status.RUNNING:
        assert r16.met_on is None and r16.is_open and r16.starts_on == date(2026, 12, 1)
        assert "Review and amend the plan by" in page
    else:
        assert r16.met_on == date(2026, 11, 20) and not r16.is_open
        assert r16.starts_on == date(2026, 11, 20)  # the clock cannot start after it was met
        assert "already names" in page and "20 November 2026" in page
        assert ("(late: after that day)" in page) == (status == Deadline.Status.BREACHED)
