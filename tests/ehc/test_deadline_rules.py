"""ehc.deadline_rules: which deadlines a case carries, and their status on a given day. No DB."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehc import deadline_rules as dr
from ehc import timescales as ts

MON_2_MAR_2026 = date(2026, 3, 2)


def fact(kind, on, subject="", id=None):
    return dr.EventFact(kind=kind, occurred_on=on, subject_key=subject, id=id)


def plan(events, start=MON_2_MAR_2026):
    return {
        (p.kind, p.subject_key): p
        for p in dr.plan_case_deadlines(clock_starts_on=start, events=events)
    }


def days(n):
    return MON_2_MAR_2026 + timedelta(days=n)


# ---------------------------------------------------------------------------
# plan_case_deadlines
# ---------------------------------------------------------------------------


def test_new_request_carries_a2_a7_a13_at_the_statutory_dates():
    planned = plan([fact(dr.REQUEST_RECEIVED, MON_2_MAR_2026, id=1)])

    assert set(planned) == {("A2", ""), ("A7", ""), ("A13", "")}
    assert planned["A2", ""].due_on == date(2026, 4, 13)
    assert planned["A7", ""].due_on == date(2026, 6, 22)
    assert planned["A13", ""].due_on == date(2026, 7, 20)
    for p in planned.values():
        assert p.starts_on == MON_2_MAR_2026
        assert p.met_on is None
        assert p.needed
        assert p.started_by == 1
        assert not p.case_closed


def test_case_clocks_count_from_clock_start_not_from_the_event_date():
    # With deemed receipt, the clock can start later than the day the request arrived.
    planned = plan([fact(dr.REQUEST_RECEIVED, days(0))], start=date(2026, 3, 9))
    assert planned["A2", ""].due_on == date(2026, 4, 20)


def test_brought_to_attention_starts_the_case_clocks():
    planned = plan([fact("brought_to_attention", MON_2_MAR_2026, id=7)])
    assert planned["A13", ""].started_by == 7
    assert planned["A13", ""].due_on == date(2026, 7, 20)


def test_decision_to_assess_meets_a2_only():
    planned = plan([fact(dr.REQUEST_RECEIVED, days(0)), fact(dr.DECIDED_TO_ASSESS, days(30))])
    assert planned["A2", ""].met_on == days(30)
    assert planned["A7", ""].met_on is None and planned["A7", ""].needed
    assert planned["A13", ""].met_on is None and planned["A13", ""].needed


def test_decision_not_to_assess_meets_a2_and_makes_a7_a13_not_needed():
    planned = plan([fact(dr.REQUEST_RECEIVED, days(0)), fact(dr.DECIDED_NOT_TO_ASSESS, days(30))])
    assert planned["A2", ""].met_on == days(30)
    assert planned["A2", ""].needed
    assert not planned["A7", ""].needed
    assert not planned["A13", ""].needed


def test_decision_not_to_issue_meets_a7_and_makes_a13_not_needed():
    planned = plan(
        [
            fact(dr.REQUEST_RECEIVED, days(0)),
            fact(dr.DECIDED_TO_ASSESS, days(30)),
            fact(dr.DECIDED_NOT_TO_ISSUE, days(100)),
        ]
    )
    assert planned["A7", ""].met_on == days(100)
    assert not planned["A13", ""].needed


def test_final_plan_meets_a13_and_starts_first_review_clock():
    issued = date(2026, 7, 15)
    planned = plan(
        [
            fact(dr.REQUEST_RECEIVED, days(0)),
            fact(dr.DECIDED_TO_ASSESS, days(30)),
            fact(dr.DECIDED_TO_ISSUE, days(90)),
            fact(dr.DRAFT_SERVED, days(95)),
            fact(dr.FINAL_PLAN_ISSUED, issued, id=42),
        ]
    )
    assert planned["A13", ""].met_on == issued
    assert planned["A7", ""].met_on == days(90)
    r1 = planned["R1", ""]
    assert r1.starts_on == issued
    assert r1.due_on == date(2027, 7, 14)
    assert r1.started_by == 42
    assert r1.met_on is None


def test_annual_review_meets_first_review():
    planned = plan(
        [
            fact(dr.REQUEST_RECEIVED, days(0)),
            fact(dr.FINAL_PLAN_ISSUED, date(2026, 7, 15)),
            fact(dr.ANNUAL_REVIEW_HELD, date(2027, 6, 1)),
        ]
    )
    assert planned["R1", ""].met_on == date(2027, 6, 1)


def test_each_adviser_gets_its_own_six_week_clock_from_its_own_request():
    planned = plan(
        [
            fact(dr.REQUEST_RECEIVED, days(0)),
            fact(dr.ADVICE_REQUESTED, days(31), "medical", id=10),
            fact(dr.ADVICE_REQUESTED, days(35), "psychological", id=11),
            fact(dr.ADVICE_RECEIVED, days(50), "medical"),
        ]
    )
    medical, psych = planned["A5", "medical"], planned["A5", "psychological"]
    assert (medical.starts_on, medical.due_on, medical.met_on) == (days(31), days(73), days(50))
    assert (psych.starts_on, psych.due_on, psych.met_on) == (days(35), days(77), None)
    assert (medical.started_by, psych.started_by) == (10, 11)


def test_advice_received_from_an_adviser_never_asked_meets_nothing():
    planned = plan(
        [
            fact(dr.REQUEST_RECEIVED, days(0)),
            fact(dr.ADVICE_REQUESTED, days(31), "medical"),
            fact(dr.ADVICE_RECEIVED, days(40), "social_care"),
        ]
    )
    assert planned["A5", "medical"].met_on is None
    assert ("A5", "social_care") not in planned


def test_draft_served_opens_a_15_day_family_window():
    planned = plan([fact(dr.REQUEST_RECEIVED, days(0)), fact(dr.DRAFT_SERVED, date(2026, 6, 10))])
    window = planned["A10", ""]
    assert window.due_on == date(2026, 6, 24)
    assert window.family_window
    assert not window.guidance


def test_setting_consultation_is_guidance_met_by_the_reply():
    planned = plan(
        [
            fact(dr.REQUEST_RECEIVED, days(0)),
            fact(dr.SETTING_CONSULTED, date(2026, 6, 10), "setting:3"),
            fact(dr.SETTING_REPLIED, date(2026, 6, 20), "setting:3"),
        ]
    )
    consult = planned["A12", "setting:3"]
    assert consult.guidance
    assert consult.due_on == date(2026, 6, 25)
    assert consult.met_on == date(2026, 6, 20)


def test_the_first_of_several_meeting_events_is_the_day_met():
    planned = plan(
        [
            fact(dr.REQUEST_RECEIVED, days(0)),
            fact(dr.ADVICE_REQUESTED, days(31), "medical"),
            fact(dr.ADVICE_RECEIVED, days(60), "medical"),
            fact(dr.ADVICE_RECEIVED, days(45), "medical"),
        ]
    )
    assert planned["A5", "medical"].met_on == days(45)


def test_withdrawal_drops_clocks_not_yet_due_but_keeps_missed_and_met_ones():
    planned = plan(
        [
            fact(dr.REQUEST_RECEIVED, days(0)),
            fact(dr.DECIDED_TO_ASSESS, days(30)),  # A2 met
            fact(dr.ADVICE_REQUESTED, days(31), "medical"),  # A5 due day 73: missed by day 80
            fact(dr.ADVICE_REQUESTED, days(70), "psychological"),  # A5 due day 112: not yet due
            fact(dr.WITHDRAWN, days(80)),
        ]
    )
    assert all(p.case_closed for p in planned.values())
    assert planned["A2", ""].needed
    assert planned["A5", "medical"].needed
    assert not planned["A5", "psychological"].needed
    assert not planned["A7", ""].needed
    assert not planned["A13", ""].needed


def test_moving_la_closes_clocks_like_withdrawal():
    planned = plan([fact(dr.REQUEST_RECEIVED, days(0)), fact(dr.MOVED_LA, days(50))])
    assert planned["A2", ""].needed  # due day 42, missed before the move
    assert not planned["A7", ""].needed


def test_withdrawal_on_the_due_day_does_not_count_as_missed():
    planned = plan([fact(dr.REQUEST_RECEIVED, days(0)), fact(dr.WITHDRAWN, days(42))])
    assert not planned["A2", ""].needed


def test_planning_does_not_depend_on_the_order_events_are_given_in():
    events = [
        fact(dr.REQUEST_RECEIVED, days(0), id=1),
        fact(dr.DECIDED_TO_ASSESS, days(30), id=2),
        fact(dr.ADVICE_REQUESTED, days(31), "medical", id=3),
        fact(dr.ADVICE_RECEIVED, days(60), "medical", id=4),
        fact(dr.WITHDRAWN, days(90), id=5),
    ]
    assert plan(events) == plan(list(reversed(events)))


# ---------------------------------------------------------------------------
# deadline_status
# ---------------------------------------------------------------------------


def planned(
    due=date(2026, 4, 13), met_on=None, needed=True, family_window=False, case_closed=False
):
    return dr.PlannedDeadline(
        kind="A2",
        subject_key="",
        starts_on=MON_2_MAR_2026,
        due_on=due,
        met_on=met_on,
        needed=needed,
        started_by=None,
        family_window=family_window,
        case_closed=case_closed,
    )


DUE = date(2026, 4, 13)


@pytest.mark.parametrize(
    ("deadline", "today", "excused", "expected"),
    [
        pytest.param(planned(), DUE, False, ("running", True), id="unmet-on-due-day-running"),
        pytest.param(
            planned(),
            DUE + timedelta(days=1),
            False,
            ("breached", True),
            id="unmet-day-after-due-breached-still-open",
        ),
        pytest.param(
            planned(),
            DUE + timedelta(days=1),
            True,
            ("disapplied", True),
            id="unmet-excused-disapplied-still-open",
        ),
        pytest.param(
            planned(),
            DUE - timedelta(days=10),
            True,
            ("disapplied", True),
            id="excused-before-due-disapplied",
        ),
        pytest.param(
            planned(met_on=DUE),
            DUE + timedelta(days=30),
            False,
            ("met", False),
            id="met-on-due-day",
        ),
        pytest.param(
            planned(met_on=DUE),
            DUE + timedelta(days=30),
            True,
            ("met", False),
            id="met-on-time-stays-met-even-with-exception",
        ),
        pytest.param(
            planned(met_on=DUE + timedelta(days=1)),
            DUE + timedelta(days=30),
            False,
            ("breached", False),
            id="met-late-breached-closed",
        ),
        pytest.param(
            planned(met_on=DUE + timedelta(days=1)),
            DUE + timedelta(days=30),
            True,
            ("disapplied", False),
            id="met-late-excused-disapplied-closed",
        ),
        pytest.param(
            planned(needed=False),
            DUE + timedelta(days=30),
            False,
            ("not_needed", False),
            id="not-needed",
        ),
        pytest.param(
            planned(needed=False),
            DUE + timedelta(days=30),
            True,
            ("not_needed", False),
            id="not-needed-even-if-excused",
        ),
        pytest.param(
            planned(case_closed=True),
            DUE + timedelta(days=30),
            False,
            ("breached", False),
            id="missed-before-closure-breached-closed",
        ),
        pytest.param(
            planned(family_window=True),
            DUE,
            False,
            ("running", True),
            id="family-window-open-on-last-day",
        ),
        pytest.param(
            planned(family_window=True),
            DUE + timedelta(days=1),
            False,
            ("met", False),
            id="family-window-ended-met",
        ),
    ],
)
def test_deadline_status(deadline, today, excused, expected):
    assert dr.deadline_status(deadline, today=today, excused=excused) == expected


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

offsets = st.integers(min_value=0, max_value=400)


@settings(deadline=None, max_examples=200)
@given(
    decided=offsets, withdrawn=st.one_of(st.none(), offsets), today=offsets, excused=st.booleans()
)
def test_every_planned_deadline_has_a_consistent_status(decided, withdrawn, today, excused):
    events = [fact(dr.REQUEST_RECEIVED, days(0)), fact(dr.DECIDED_TO_ASSESS, days(decided))]
    if withdrawn is not None:
        events.append(fact(dr.WITHDRAWN, days(max(decided, withdrawn))))
    for p in dr.plan_case_deadlines(clock_starts_on=MON_2_MAR_2026, events=events):
        assert p.due_on > p.starts_on
        assert p.kind in ts.RULES  # every planned kind has a rule to explain it
        status, is_open = dr.deadline_status(p, today=days(today), excused=excused)
        if status in (dr.MET, dr.NOT_NEEDED):
            assert not is_open
        if p.case_closed:
            assert not is_open
        if p.met_on is not None and p.met_on <= p.due_on and p.needed:
            assert status == dr.MET
