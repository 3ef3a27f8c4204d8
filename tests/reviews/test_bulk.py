"""The set-based writers (import, nightly pass) store what the ORM would, history included, and
the SQL-counted figures agree with the one-plan-at-a-time rules they replace."""

import random
from datetime import date, timedelta

import pytest
from django.db import transaction
from viewflow.workflow.models import Task

from ehc.models import Case, Child, Deadline, Setting
from reviews import bulk, nightly, selectors, services
from reviews.models import AnnualReview, AnnualReviewProcess, MaintainedPlan
from tests.reviews.conftest import TODAY, import_rows

pytestmark = pytest.mark.django_db


def test_import_writes_a_created_history_row_for_each_child_case_and_plan(caseworker, primary):
    import_rows(
        "LEG-1,Ada,Lovelace,2014-03-05,2022-06-01,2025-10-02,2025-10-20,123456,ASD,casey",
        "LEG-2,Ben,Okafor,2012-03-05,2022-06-01,,,,SEMH,",
        user=caseworker,
    )
    plan = MaintainedPlan.objects.get(import_reference="LEG-1")
    for obj in (plan, plan.case, plan.child):
        (row,) = obj.history.all()
        assert row.history_type == "+"
        assert row.history_user == caseworker
        assert row.history_change_reason == "Imported from the previous system"
    assert plan.history.get().next_review_due == plan.next_review_due
    assert plan.case.history.get().reference == plan.case.reference
    assert plan.child.history.get().last_name == "Lovelace"
    assert MaintainedPlan.history.count() == 2
    # The rows are whole: what the ORM reads back is what was meant.
    assert plan.case.route == Case.Route.IMPORTED and plan.case.team_id
    assert plan.child.current_setting == primary
    assert len({c.reference for c in Case.objects.all()}) == Case.objects.count()


def test_reserved_ids_never_collide_with_ids_the_orm_hands_out(db):
    Child.objects.create(first_name="A", last_name="B", date_of_birth=date(2015, 1, 1))
    with transaction.atomic():
        ids = bulk.allocate_ids(Child, 3)
        assert len(set(ids)) == 3 and min(ids) > Child.objects.get().pk
        later = Child.objects.create(first_name="C", last_name="D", date_of_birth=date(2015, 1, 1))
    assert later.pk not in ids


def test_nightly_pass_opens_the_same_review_as_opening_it_by_hand(caseworker, primary):
    # A Year 6 child at a primary school: a phase-transfer review, deadline 14 February.
    import_rows(
        "LEG-6,Ben,Okafor,2015-10-10,2021-01-10,2025-12-01,2025-12-20,123456,SLCN,casey",
        "LEG-9,Cara,Ng,2011-10-10,2021-01-10,2025-12-01,2025-12-20,,SLCN,",
    )
    assert nightly.reviews_open_due(today=TODAY) == 2
    bulk_reviews = {r.plan.import_reference: r for r in AnnualReview.objects.all()}
    transfer = bulk_reviews["LEG-6"]
    assert transfer.kind == AnnualReview.Kind.PHASE_TRANSFER
    assert transfer.transfer_due_on == date(2027, 2, 14) and not transfer.transfer_post16
    assert not transfer.needs_adulthood and bulk_reviews["LEG-9"].needs_adulthood  # Year 10
    (history,) = transfer.history.all()
    assert history.history_type == "+" and history.kind == AnnualReview.Kind.PHASE_TRANSFER
    task = Task.objects.get(
        flow_task_type="HUMAN", process__artifact_object_id=transfer.plan.case_id
    )
    assert task.owner == caseworker and task.status == "ASSIGNED"
    assert [t.flow_task_type for t in task.previous.all()] == ["START"]
    assert {d.kind for d in Deadline.objects.filter(case=transfer.plan.case, source="reviews")} >= {
        "R4",
        "R5",
        "R14",
    }
    unassigned = Task.objects.get(
        flow_task_type="HUMAN", process__artifact_object_id=bulk_reviews["LEG-9"].plan.case_id
    )
    assert unassigned.owner is None and unassigned.status == "NEW"
    # The same plan opened through the service gets the same review, flags and clocks, field
    # for field.
    fields = ["case_id", "source", *bulk.DEADLINE_FIELDS]
    clocks = Deadline.objects.filter(source="reviews", kind__in=["R4", "R5", "R14"])
    bulk_clocks = sorted(clocks.filter(case=transfer.plan.case).values_list(*fields))
    assert len(bulk_clocks) == 3
    AnnualReview.objects.all().delete()
    clocks.delete()
    by_hand = services.review_open(plan=transfer.plan, acting_user=caseworker, today=TODAY)
    for field in ("kind", "due_on", "transfer_year", "transfer_due_on", "needs_adulthood"):
        assert getattr(by_hand, field) == getattr(transfer, field), field
    assert sorted(clocks.values_list(*fields)) == bulk_clocks
    hand_task = Task.objects.get(flow_task_type="HUMAN", process__seed_object_id=by_hand.pk)
    flags = [
        (p.first_review, p.amending)
        for p in AnnualReviewProcess.objects.filter(pk__in=[hand_task.process_id, task.process_id])
    ]
    assert flags == [(False, False), (False, False)]
    assert (hand_task.status, hand_task.owner, hand_task.flow_task) == (
        task.status,
        task.owner,
        task.flow_task,
    )


def test_cohort_at_risk_count_in_sql_matches_the_cohort_worked_out_child_by_child(caseworker):
    """Children of every transfer age at every kind of setting (and none), with reviews in every
    state: the SQL count equals the rows the cohort page marks at risk, on several days."""
    rng = random.Random(5)
    settings = [None] + [
        Setting.objects.create(name=f"S{n}", kind=kind, phase=phase, urn=f"{100000 + n}")
        for n, (kind, phase) in enumerate(
            [
                (Setting.Kind.SCHOOL, Setting.Phase.PRIMARY),
                (Setting.Kind.SCHOOL, Setting.Phase.MIDDLE),
                (Setting.Kind.SCHOOL, Setting.Phase.SECONDARY),
                (Setting.Kind.SCHOOL, Setting.Phase.SPECIAL),
                (Setting.Kind.SCHOOL, Setting.Phase.NOT_APPLICABLE),
                (Setting.Kind.EARLY_YEARS, Setting.Phase.NURSERY),
                (Setting.Kind.POST16, Setting.Phase.POST16),
                (Setting.Kind.OTHER, Setting.Phase.ALL_THROUGH),
            ]
        )
    ]
    rows = []
    for n in range(120):
        age = rng.choice([3, 4, 10, 11, 12, 13, 15, 16])
        dob = date(2026 - age, rng.randint(1, 12), rng.randint(1, 28))
        setting = rng.choice(settings)
        rows.append(
            f"C-{n},Kid{n},Test,{dob},2024-01-10,2025-12-01,2025-12-20,"
            f"{setting.urn if setting else ''},ASD,"
        )
    import_rows(*rows)
    plans = list(MaintainedPlan.objects.select_related("child", "current_setting"))
    year = 2027
    for plan in plans[::2]:  # half get a transfer review in some state
        review = AnnualReview.objects.create(
            plan=plan,
            kind=AnnualReview.Kind.PHASE_TRANSFER,
            due_on=plan.next_review_due,
            opened_on=TODAY,
            transfer_year=year,
        )
        state = rng.randint(0, 4)
        if state >= 1:
            review.meeting_on = rng.choice([date(2026, 11, 10), date(2026, 12, 10)])
        if state >= 2:
            review.held_on = review.meeting_on
        if state == 4:
            review.final_issued_on = TODAY
        review.save()
    for day in (TODAY, date(2026, 10, 1), date(2027, 1, 5), date(2027, 3, 1)):
        expected = sum(1 for row in selectors.transfer_cohort(day, year) if row.at_risk)
        assert selectors.cohort_at_risk_count(day, year) == expected, day
    assert selectors.figures(TODAY)["transfer_at_risk"] == sum(
        1 for row in selectors.transfer_cohort(TODAY) if row.at_risk
    )
    assert any(row.at_risk for row in selectors.transfer_cohort(TODAY, year))


def test_dashboard_figures_take_a_fixed_number_of_queries(
    django_assert_max_num_queries, caseworker, primary
):
    import_rows("LEG-1,Ada,Lovelace,2014-03-05,2022-06-01,2025-10-02,2025-10-20,123456,ASD,")
    with django_assert_max_num_queries(4):
        selectors.figures(TODAY)
    import_rows(
        *(f"M-{n},Kid{n},Test,2015-10-10,2022-06-01,2025-10-02,,123456,ASD," for n in range(30))
    )
    nightly.reviews_open_due(today=TODAY)
    with django_assert_max_num_queries(4):
        figures = selectors.figures(TODAY)
    assert figures["overdue"] == 31  # each last met on 2 October 2025
    assert figures["transfer_at_risk"] == sum(
        1 for row in selectors.transfer_cohort(TODAY) if row.at_risk
    )


def test_nightly_queries_do_not_grow_with_the_cohort(
    django_assert_max_num_queries, caseworker, primary
):
    import_rows(
        *(f"N-{n},Kid{n},Test,2013-10-10,2022-06-01,2025-10-02,,123456,ASD," for n in range(3))
    )
    # Fixed per batch, whatever its size: the test below checks it does not grow.
    with django_assert_max_num_queries(34) as small:
        nightly.reviews_open_due(today=TODAY)
    import_rows(
        *(f"P-{n},Kid{n},Test,2013-10-10,2022-06-01,2025-10-02,,123456,ASD," for n in range(60))
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert nightly.reviews_open_due(today=TODAY) == 60


def test_late_decision_and_amendment_figures_count_by_the_statutory_weeks(primary, caseworker):
    import_rows(
        *(f"L-{n},Kid{n},Test,2013-10-10,2022-06-01,2025-10-02,,123456,ASD," for n in range(5))
    )
    plans = list(MaintainedPlan.objects.order_by("import_reference"))
    held = date(2026, 6, 1)
    cases = [
        # (decided_on, final_issued_on): R8 is 4 weeks from the meeting; R11 8 weeks from the
        # decision, R13 12 weeks from the meeting.
        (date(2026, 6, 29), None),  # decided on the 28th day: on time
        (date(2026, 6, 30), None),  # a day late
        (date(2026, 6, 10), date(2026, 8, 5)),  # amended 8 weeks after the decision: on time
        (date(2026, 6, 10), date(2026, 8, 6)),  # a day over 8 weeks
        (date(2026, 7, 1), date(2026, 8, 25)),  # within 8 weeks but 12 weeks + 1 from the meeting
    ]
    for n, (plan, (decided, final)) in enumerate(zip(plans, cases, strict=True)):
        AnnualReview.objects.create(
            plan=plan,
            due_on=date(2026, 10, 1) + timedelta(days=n),
            opened_on=date(2026, 5, 1),
            held_on=held,
            decided_on=decided,
            decision=AnnualReview.Decision.AMEND if final else AnnualReview.Decision.MAINTAIN,
            final_issued_on=final,
            outcome="amended" if final else "maintained",
        )
    figures = selectors.figures(TODAY)
    assert figures["decided_late"] == 2  # 30 June and 1 July
    assert figures["amended_late"] == 2
    assert selectors.figure_querysets(TODAY)["amended_late"].count() == 2


def test_an_under_5s_plan_gets_the_r3_review_clock_from_its_issue_in_its_first_year(caseworker):
    # Born 2023: 3 on 31 August 2026. Issued 1 September 2026, never reviewed.
    import_rows("EY-1,Tia,Small,2023-03-05,2026-09-01,,,,SLCN,")
    plan = MaintainedPlan.objects.get()
    r3 = Deadline.objects.get(case=plan.case, kind="R3")
    assert (r3.starts_on, r3.due_on, r3.is_guidance) == (date(2026, 9, 1), date(2027, 3, 1), True)
    assert "plan's issue" in r3.explanation
    # The same clock from the service that keeps it after any change.
    r3.delete()
    services.plan_clocks_refresh(plan=plan, today=TODAY)
    assert Deadline.objects.get(case=plan.case, kind="R3").due_on == date(2027, 3, 1)


def test_reviews_the_nightly_pass_opens_join_the_work_queue(caseworker, primary):
    """Tasks the pass inserts without the flow still get their queue entry, dated by R4: the
    same entry, field for field, as the work queue's own writer makes for those tasks (one
    plan with a caseworker's task, one in the team's queue)."""
    from workflows.models import QueueEntry
    from workflows.queue import queue_entries_write

    import_rows(
        *(
            f"Q-{n},Kid{n},Test,2013-10-10,2022-06-01,2025-10-02,,123456,ASD,casey"
            for n in range(3)
        ),
        "Q-9,Kid9,Test,2013-10-10,2022-06-01,2025-10-02,,123456,ASD,",
    )
    assert nightly.reviews_open_due(today=TODAY) == 4
    arrange = Task.objects.filter(flow_task__endswith="arrange_meeting")
    entries = QueueEntry.objects.filter(task__in=arrange, is_open=True)
    assert entries.count() == 4
    r4 = dict(Deadline.objects.filter(kind="R4").values_list("case_id", "due_on"))
    assert {e.case_id: e.due_on for e in entries} == r4
    fields = ["task_id", "case_id", "team_id", "owner_id", "is_open", "due_on", "deadline_id"]
    written = sorted(entries.values_list(*fields))
    assert sorted((w[3] for w in written), key=str) == sorted([caseworker.pk] * 3 + [None], key=str)
    assert all(w[2] is not None and w[6] is not None for w in written)
    QueueEntry.objects.all().delete()
    queue_entries_write(arrange.select_related("process"))
    assert sorted(QueueEntry.objects.values_list(*fields)) == written
