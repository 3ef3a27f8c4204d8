"""Families are told about each step of their plan's review through the alert engine, once, with
the statutory date that matters; another family never is. Staff alerts reach every review clock.

The rules are the seeded defaults (migrations), so these tests also check what a council gets
on installing: "Family: reviews of their plan" and the review clocks in the caseworker rules.
"""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from ehc import timescales
from ehc.models import CaseEvent, Deadline
from notifications.models import AlertRule, Notification
from notifications.services import deadlines_sweep
from reviews import alerts, life, services
from reviews.flows import AnnualReviewFlow
from reviews.models import MaintainedPlan
from tests.conftest import london
from tests.notifications.conftest import eager_celery, morning  # noqa: F401  (a fixture)
from tests.reviews.conftest import TODAY, import_rows, link_parent
from tests.reviews.htmlforms import date_values, form_with
from tests.reviews.test_journey import errors, open_task

pytestmark = pytest.mark.django_db

K = CaseEvent.Kind
Email, InApp = Notification.Channel.EMAIL, Notification.Channel.IN_APP
OURS = "LEG-1,Ada,Lovelace,2014-03-05,2022-06-01,2025-11-20,2025-12-01,123456,ASD,casey"
THEIRS = "LEG-2,Bo,Brown,2014-05-05,2022-06-01,2025-11-20,2025-12-01,123456,ASD,casey"
ADULT = "LEG-3,Cy,Chen,2008-03-05,2022-06-01,2026-06-02,2026-06-20,123456,ASD,casey"


def long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@pytest.fixture
def plans(caseworker, primary, parent_user, other_parent):
    import_rows(OURS, THEIRS, ADULT)
    ours = MaintainedPlan.objects.get(import_reference="LEG-1")
    theirs = MaintainedPlan.objects.get(import_reference="LEG-2")
    adult = MaintainedPlan.objects.get(import_reference="LEG-3")
    link_parent(ours, parent_user)
    link_parent(adult, parent_user)
    link_parent(theirs, other_parent)
    return ours, theirs, adult


@pytest.fixture
def deliver(eager_celery, django_capture_on_commit_callbacks):  # noqa: F811
    """Run each step's after-commit delivery in the test, as the worker would."""
    mail.outbox = []

    def run(step, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return step(*args, **kwargs)

    return run


def told(kind: str, plan: MaintainedPlan | None = None) -> list[Notification]:
    rows = Notification.objects.filter(event__kind=kind).select_related("event")
    if plan is not None:
        rows = rows.filter(case=plan.case)
    return list(rows.order_by("channel"))


def emails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def hold(review, held_on: date, user) -> None:
    services.review_meeting_record(
        review=review, held_on=held_on, adulthood_discussed="College and travel.", acting_user=user
    )


def decide(review, decision: str, decided_on: date, user, **extra):
    details = services.ReviewDecision(
        decision=decision,
        decided_on=decided_on,
        reasons=extra.pop("reasons", "Needs have changed."),
        proposed_sections={"section_f": "Speech and language therapy, 1 hour a week."}
        if decision == "amend"
        else {},
        evidence="Therapist's report." if decision == "amend" else "",
        **extra,
    )
    return services.review_decision_record(review=review, details=details, acting_user=user)


def test_the_default_family_rule_covers_every_review_step(db):
    rule = AlertRule.objects.get(name="Family: reviews of their plan")
    assert rule.trigger == AlertRule.Trigger.FAMILY_EVENT and rule.is_active
    assert set(rule.event_kinds) == set(alerts.REVIEW_EVENT_KINDS)
    rule.full_clean()  # the kinds are ones the engine knows (registered by the reviews app)


def test_amend_journey_tells_the_family_once_per_step_with_its_dates(
    plans, caseworker, parent_user, other_parent, deliver
):
    ours, theirs, _adult = plans
    review = services.review_open(plan=ours, acting_user=caseworker)
    meeting = TODAY + timedelta(days=15)  # 17 November 2026
    arrange = dict(
        review=review, meeting_on=meeting, notice_sent_on=TODAY, advice_circulated_on=None
    )
    deliver(services.review_meeting_arrange, **arrange, acting_user=caseworker)
    # A second save of the same arrangement (or a double submission) is not news again.
    deliver(services.review_meeting_arrange, **arrange, acting_user=caseworker)

    arranged = told(K.REVIEW_MEETING_ARRANGED)
    assert [(n.channel, n.recipient_user) for n in arranged] == [
        (Email, parent_user),
        (InApp, parent_user),
    ]
    assert {n.status for n in arranged} == {Notification.Status.SENT}
    [email] = emails_to("pat@example.com")
    assert email.subject == alerts.SUBJECTS[K.REVIEW_MEETING_ARRANGED]
    assert "Lovelace" not in email.subject and "Ada" not in email.body  # no names
    assert f"is on {long(meeting)}" in email.body
    assert long(timescales.review_advice_latest(meeting)) in email.body  # 3 November 2026
    assert f"decision by {long(timescales.review_decision_due(meeting))}" in email.body
    assert "you will be asked for your views" in email.body
    assert reverse("reviews_family:plan", args=[ours.case_id]) in email.body

    decided = date(2026, 11, 27)
    with time_machine.travel(london(2026, 11, 27, 12), tick=False):
        hold(review, meeting, caseworker)
        deliver(decide, review, "amend", decided, caseworker)
        deliver(decide, review, "amend", decided, caseworker)  # saved twice: told once
    proposed = told(K.AMENDMENTS_PROPOSED)
    assert len(proposed) == 2
    body = proposed[0].body
    end = timescales.amendment_representations_end(decided)
    assert f"Your 15 days end on {long(end)}" in body  # 11 December 2026
    final_due = min(timescales.amended_plan_due(decided), timescales.amended_plan_latest(meeting))
    assert f"issued by {long(final_due)}" in body

    issued = date(2026, 12, 13)  # 16 days after the proposal
    with time_machine.travel(london(2026, 12, 13, 12), tick=False):
        step = dict(
            review=review,
            issued_on=issued,
            named_setting=None,
            setting_type="Mainstream school",
            family_views="Agreed.",
            acting_user=caseworker,
        )
        deliver(services.amended_plan_issue, **step)
        with pytest.raises(ValidationError):  # a double submission finds the review finished
            deliver(services.amended_plan_issue, **step)
    final = told(K.AMENDED_PLAN_ISSUED)
    assert len(final) == 2
    assert f"issued on {long(issued)}" in final[0].body
    assert f"until {long(timescales.appeal_deadline(issued))}" in final[0].body
    assert long(timescales.mediation_contact_deadline(issued)) in final[0].body

    # Three steps, each once by email and once on the notifications page; nothing else.
    assert Notification.objects.filter(recipient_user=parent_user).count() == 6
    assert len(emails_to("pat@example.com")) == 3
    # Another family hears nothing of it.
    assert not Notification.objects.filter(case=theirs.case).exists()
    assert not Notification.objects.filter(recipient_user=other_parent).exists()
    assert not emails_to("other@example.com")


def test_family_sees_the_news_on_their_notifications_page_and_no_one_else_does(
    client, plans, caseworker, parent_user, other_parent, deliver
):
    ours, _theirs, _adult = plans
    review = services.review_open(plan=ours, acting_user=caseworker)
    meeting = TODAY + timedelta(days=15)
    deliver(
        services.review_meeting_arrange,
        review=review,
        meeting_on=meeting,
        notice_sent_on=TODAY,
        advice_circulated_on=None,
        acting_user=caseworker,
    )
    client.force_login(parent_user)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert alerts.SUBJECTS[K.REVIEW_MEETING_ARRANGED] in page
    assert f"is on {long(meeting)}" in page
    client.force_login(other_parent)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert alerts.SUBJECTS[K.REVIEW_MEETING_ARRANGED] not in page
    assert "You have no notifications." in page


def test_keep_and_not_amending_say_how_to_disagree(plans, caseworker, deliver):
    ours, theirs, _adult = plans
    review = services.review_open(plan=ours, acting_user=caseworker)
    held, decided = TODAY - timedelta(days=20), TODAY - timedelta(days=5)
    hold(review, held, caseworker)
    deliver(decide, review, "maintain", decided, caseworker)
    [email, in_app] = told(K.REVIEW_PLAN_KEPT)
    assert email.channel == Email and in_app.channel == InApp
    assert f"On {long(decided)} the council decided to keep the EHC plan" in email.body
    assert "appeal to the First-tier Tribunal" in email.body
    assert f"until {long(timescales.appeal_deadline(decided))}" in email.body
    assert f"by {long(timescales.mediation_contact_deadline(decided))}" in email.body

    other = services.review_open(plan=theirs, acting_user=caseworker)
    hold(other, held, caseworker)
    decide(other, "amend", decided, caseworker)
    deliver(
        services.amendment_withdraw,
        review=other,
        decided_on=TODAY,
        reasons="The current provision is right.",
        acting_user=caseworker,
    )
    [email, _] = told(K.DECIDED_NOT_TO_AMEND)
    assert email.recipient_email == "other@example.com"
    assert f"On {long(TODAY)} the council decided not to make the changes" in email.body
    assert f"until {long(timescales.appeal_deadline(TODAY))}" in email.body


def test_cease_notice_and_the_plan_ceasing_are_told_once_each(plans, caseworker, deliver):
    _ours, _theirs, adult = plans
    review = services.review_open(plan=adult, acting_user=caseworker)
    decided = TODAY - timedelta(days=10)
    hold(review, decided - timedelta(days=7), caseworker)
    deliver(
        decide,
        review,
        "cease",
        decided,
        caseworker,
        reasons="Outcomes achieved; left education.",
        consulted_family_on=decided - timedelta(days=3),
        consulted_setting_on=decided - timedelta(days=3),
    )
    [email, _] = told(K.DECIDED_TO_CEASE)
    appeal_by = timescales.appeal_deadline(decided)
    assert "decided to stop maintaining the EHC plan" in email.body
    assert f"stays in place until at least {long(appeal_by)}" in email.body
    assert long(timescales.mediation_contact_deadline(decided)) in email.body

    ceased = appeal_by + timedelta(days=1)
    with time_machine.travel(london(ceased.year, ceased.month, ceased.day, 12), tick=False):
        deliver(life.plan_cease, plan=adult, ceased_on=ceased, acting_user=caseworker)
        with pytest.raises(ValidationError):  # already ceased: nothing more to tell
            deliver(life.plan_cease, plan=adult, ceased_on=ceased, acting_user=caseworker)
    [email, _] = told(K.PLAN_CEASED)
    assert f"stopped maintaining the EHC plan on {long(ceased)}" in email.body
    assert len(told(K.DECIDED_TO_CEASE)) == 2


def test_arranging_the_meeting_through_its_page_tells_the_family_once(
    client, plans, caseworker, parent_user, deliver
):
    ours, _theirs, _adult = plans
    client.force_login(caseworker)
    assert client.post(reverse("reviews:review_start", args=[ours.case_id])).status_code == 302
    task = open_task(ours.case_id, AnnualReviewFlow.arrange_meeting)
    url = reverse("workflows:task", args=[ours.case_id, task.pk])
    page = client.get(url)
    assert page.status_code == 200
    meeting = TODAY + timedelta(days=16)
    form = form_with(page.content, "meeting_on_0")
    data = form.fill({**date_values("meeting_on", meeting), **date_values("notice_sent_on", TODAY)})
    response = deliver(client.post, url, data)
    assert response.status_code == 302, errors(response)
    deliver(client.post, url, data)  # the same form sent again (a double click, a reload)

    arranged = told(K.REVIEW_MEETING_ARRANGED, ours)
    assert [(n.channel, n.status) for n in arranged] == [
        (Email, Notification.Status.SENT),
        (InApp, Notification.Status.SENT),
    ]
    [email] = emails_to(parent_user.email)
    assert f"is on {long(meeting)}" in email.body


def test_every_review_clock_alerts_the_caseworker(db):
    """Each clock the reviews app keeps (R-rows) is covered by the default staff rules; R10 is
    the family's own window and R3 is guidance, so neither alerts staff."""
    council_clocks = {
        "R1", "R2", "R4", "R5", "R7", "R8", "R11", "R12", "R13", "R14", "R15",
        "R16", "R18", "R19", "R20", "R21", "R22",
    }  # fmt: skip
    for name in (
        "Caseworker: 10 working days before",
        "Caseworker: 5 working days before",
        "Caseworker: on the day",
        "Team managers: deadline missed",
    ):
        rule = AlertRule.objects.get(name=name)
        assert council_clocks <= set(rule.deadline_kinds), (
            name,
            council_clocks - set(rule.deadline_kinds),
        )


def test_the_sweep_alerts_the_caseworker_before_a_post16_move_clock_runs_out(plans, caseworker):
    _ours, _theirs, adult = plans
    adult.case.assigned_caseworker = caseworker
    adult.case.save()
    move = life.post16_move_record(
        plan=adult,
        move_on=date(2027, 4, 16),
        new_setting=None,
        new_setting_name="Northgate College",
        acting_user=caseworker,
    )
    r16 = Deadline.objects.get(case=adult.case, kind="R16", subject_key=f"post16:{move.pk}")
    assert r16.due_on == date(2026, 11, 16) and r16.is_open
    deadlines_sweep(now=morning(date(2026, 11, 16)))
    alerted = Notification.objects.filter(deadline=r16, recipient_user=caseworker)
    assert alerted.filter(rule__name="Caseworker: on the day").exists()
