"""conversions.timetable: cohorts, the dated transfer-review rules, and the schedule (pure)."""

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conversions import timetable as tt
from ehc import timescales


def facts(kind=tt.STATEMENT, year_group=None, year=2014, moving_on=None, moving_type="", ref="X"):
    return tt.InstrumentFacts(
        ref, kind, year_group, year if year_group is not None else None, moving_on, moving_type
    )


def item(ref, kind=tt.STATEMENT, cohort="REMAINING", fixed_start=None, notice=None):
    return tt.ScheduleItem(ref, kind, tt.COHORTS[cohort], fixed_start, notice)


# --- cohorts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "code", "deadline"),
    [
        (facts(), "REMAINING", date(2018, 3, 31)),
        (
            facts(moving_on=date(2015, 9, 1), moving_type=tt.SECONDARY_TO_POST16),
            "POST16_2015",
            date(2015, 5, 30),
        ),
        (
            facts(moving_on=date(2016, 9, 5), moving_type=tt.PRIMARY_TO_SECONDARY),
            "PHASE_2016",
            date(2016, 2, 14),
        ),
        (
            facts(moving_on=date(2016, 9, 5), moving_type=tt.SECONDARY_TO_POST16),
            "POST16_2016",
            date(2016, 3, 30),
        ),
        (
            facts(moving_on=date(2017, 9, 4), moving_type=tt.INFANT_TO_JUNIOR),
            "PHASE_2017",
            date(2017, 2, 14),
        ),
        (
            facts(moving_on=date(2017, 9, 4), moving_type=tt.SECONDARY_TO_POST16),
            "POST16_2017",
            date(2017, 3, 30),
        ),
        (facts(year_group=7, year=2014), "YEAR9_2016", date(2017, 8, 31)),  # Year 9 in Sept 2016
        (facts(year_group=8, year=2014), "REMAINING", date(2018, 3, 31)),  # Y9 2015: no own cohort
        (
            facts(year_group=6, year=2014),
            "REMAINING",
            date(2018, 3, 31),
        ),  # Y9 2017: 31 Aug 2018 later
        (facts(kind=tt.LDA), "LDA", date(2016, 9, 1)),
        (facts(kind=tt.NON_STATUTORY), "NON_STATUTORY", None),
        # A move in 2015 other than to post-16, and a move that is not a phase transfer: no cohort.
        (
            facts(moving_on=date(2015, 9, 1), moving_type=tt.PRIMARY_TO_SECONDARY),
            "REMAINING",
            date(2018, 3, 31),
        ),
        (
            facts(moving_on=date(2016, 9, 1), moving_type=tt.OTHER_TRANSFER),
            "REMAINING",
            date(2018, 3, 31),
        ),
    ],
)
def test_cohort_rules(f, code, deadline):
    cohort = tt.cohort_for(f)
    assert (cohort.code, cohort.deadline) == (code, deadline)


def test_before_dates_use_the_literal_reading_like_timescales():
    assert tt.COHORTS["PHASE_2016"].deadline == timescales.phase_transfer_deadline(2016)
    assert tt.COHORTS["POST16_2017"].deadline == timescales.phase_transfer_deadline(
        2017, post16=True
    )
    assert tt.COHORTS["POST16_2015"].deadline == date(2015, 5, 30)  # before 31 May
    assert tt.COHORTS["REMAINING"].deadline == date(2018, 3, 31)  # before 1 April 2018


def test_the_earliest_of_several_dates_counts():
    # Year 8 in 2015/16 enters Year 9 in Sept 2016 (before Year 10: 31 Aug 2017), and moves to
    # a middle-to-secondary school in Sept 2016 (before 15 Feb 2016): the February date wins.
    f = facts(
        year_group=8, year=2015, moving_on=date(2016, 9, 5), moving_type=tt.MIDDLE_TO_SECONDARY
    )
    assert {c.code for c in tt.candidate_cohorts(f)} == {"REMAINING", "PHASE_2016", "YEAR9_2016"}
    assert tt.cohort_for(f).code == "PHASE_2016"


def test_year_9_entry_year():
    assert tt.year9_entry_year(9, 2016) == 2016
    assert tt.year9_entry_year(0, 2010) == 2019
    assert tt.year9_entry_year(10, 2016) is None
    assert tt.year9_entry_year(None, 2016) is None


# --- one review's dates: notice and the three dated versions ------------------------------------


def test_notice_needs_two_weeks():
    assert tt.latest_notice_for_start(date(2015, 3, 16)) == date(2015, 3, 2)
    assert tt.earliest_start_after_notice(date(2015, 3, 2)) == date(2015, 3, 16)
    assert tt.notice_is_enough(date(2015, 3, 2), date(2015, 3, 16))
    assert not tt.notice_is_enough(date(2015, 3, 3), date(2015, 3, 16))
    assert tt.earliest_start(tt.STATEMENT, date(2015, 3, 2)) == date(2015, 3, 16)
    assert tt.earliest_start(tt.LDA, date(2015, 3, 2)) == date(2015, 3, 2)


@pytest.mark.parametrize(
    ("start", "notice", "rule", "due"),
    [
        # 31 March / 1 April 2015: 14 weeks from the notice, then 14 weeks from the start.
        (date(2015, 3, 31), date(2015, 3, 10), "T8", date(2015, 6, 16)),
        (date(2015, 4, 1), date(2015, 3, 10), "T9", date(2015, 7, 8)),
        # 31 August / 1 September 2015: 14 weeks from the start, then 18 weeks from the start.
        (date(2015, 8, 31), date(2015, 8, 1), "T9", date(2015, 12, 7)),
        (date(2015, 9, 1), date(2015, 8, 1), "T10", date(2016, 1, 5)),
    ],
)
def test_plan_due_by_the_version_in_force_at_the_start(start, notice, rule, due):
    assert tt.plan_rule(tt.STATEMENT, start) == rule
    assert tt.plan_due(tt.STATEMENT, start, notice) == due
    assert due == timescales.transfer_review_plan_due(start, notice)
    expected_clock_start = notice if rule == "T8" else start
    assert tt.plan_rule_starts_on(tt.STATEMENT, start, notice) == expected_clock_start
    assert rule in timescales.RULES


def test_an_lda_transfer_is_a_new_request_with_twenty_weeks():
    assert tt.plan_rule(tt.LDA, date(2016, 1, 4)) == "A13"
    assert tt.plan_due(tt.LDA, date(2016, 1, 4)) == timescales.final_plan_due(date(2016, 1, 4))


# --- the schedule ------------------------------------------------------------------------------


def test_everything_meets_its_deadline_when_capacity_allows_and_earliest_deadline_goes_first():
    items = [item(f"R{i}") for i in range(4)] + [
        item(f"P{i}", cohort="POST16_2015") for i in range(4)
    ]
    plan = tt.schedule(items, as_of=date(2014, 9, 1), capacity=tt.Capacity(1, 2))
    assert len(plan.slots) == 8 and not plan.unmeetable
    order = [s.reference for s in plan.slots]
    assert order[:4] == ["P0", "P1", "P2", "P3"]  # earliest deadline first
    for slot in plan.slots:
        assert slot.notice_by >= date(2014, 9, 1)
        assert tt.notice_is_enough(slot.notice_by, slot.start_on)
        assert slot.plan_due == timescales.transfer_review_plan_due(slot.start_on, slot.notice_by)
        assert slot.plan_due <= slot.deadline and slot.on_time
    assert max(Counter(s.start_on for s in plan.slots).values()) <= 2


def test_unmeetable_reviews_are_listed_and_still_given_the_first_free_start():
    # 1 March 2015: the 30 May 2015 deadline needs a start by 7 March (T8: notice + 14 weeks);
    # notice today means a start on 15 March at the earliest, so none can meet it.
    items = [item(f"P{i}", cohort="POST16_2015") for i in range(3)]
    plan = tt.schedule(items, as_of=date(2015, 3, 1), capacity=tt.Capacity(1, 1))
    assert [s.reference for s in plan.unmeetable] == ["P0", "P1", "P2"]
    assert [s.start_on for s in plan.slots] == [
        date(2015, 3, 15),
        date(2015, 3, 16),
        date(2015, 3, 23),
    ]
    assert all(s.days_late > 0 for s in plan.unmeetable)


def test_capacity_decides_how_many_meet_the_deadline():
    # 12 Jan 2015 (a Monday): 30 May 2015 needs a start by 7 March 2015; the weeks starting
    # 26 Jan to 2 Mar give six starts a caseworker.
    items = [item(f"P{i:02}", cohort="POST16_2015") for i in range(10)]
    one = tt.schedule(items, as_of=date(2015, 1, 12), capacity=tt.Capacity(1, 1))
    two = tt.schedule(items, as_of=date(2015, 1, 12), capacity=tt.Capacity(1, 2))
    assert len(one.on_time) == 6 and len(one.unmeetable) == 4
    assert len(two.on_time) == 10 and not two.unmeetable
    assert [s.reference for s in one.unmeetable] == ["P06", "P07", "P08", "P09"]


def test_version_boundary_1_april_2015_in_the_schedule():
    # Deadline 1 July 2015: a start on Monday 30 March 2015 (T8, due 22 June) meets it; the next
    # week's start, 6 April (T9, start + 14 weeks = 13 July), does not.
    cohort = tt.Cohort("TEST", "Test", date(2015, 7, 1), "", "", "")
    items = [tt.ScheduleItem(f"S{i}", tt.STATEMENT, cohort) for i in range(2)]
    plan = tt.schedule(items, as_of=date(2015, 3, 16), capacity=tt.Capacity(1, 1))
    met = {s.reference: s for s in plan.on_time}
    assert [s.start_on for s in met.values()] == [date(2015, 3, 30)]
    late = plan.unmeetable[0]
    assert late.start_on == date(2015, 4, 6) and late.plan_due == date(2015, 7, 13)


def test_version_boundary_1_september_2015_in_the_schedule():
    # Deadline 10 Dec 2015: a start on Monday 31 August 2015 (T9, due 7 Dec) meets it; a start
    # on or after 1 September (T10, 18 weeks) cannot.
    cohort = tt.Cohort("TEST", "Test", date(2015, 12, 10), "", "", "")
    items = [tt.ScheduleItem(f"S{i}", tt.STATEMENT, cohort) for i in range(2)]
    plan = tt.schedule(items, as_of=date(2015, 8, 17), capacity=tt.Capacity(1, 1))
    assert [(s.start_on, s.plan_due) for s in plan.on_time] == [
        (date(2015, 8, 31), date(2015, 12, 7))
    ]
    late = plan.unmeetable[0]
    assert late.start_on == date(2015, 9, 7) and late.plan_due == date(2016, 1, 11)


def test_reviews_with_notice_out_keep_their_start_and_use_that_weeks_capacity():
    fixed = item("F", fixed_start=date(2014, 9, 29), notice=date(2014, 9, 1))
    plan = tt.schedule([fixed, item("A")], as_of=date(2014, 9, 1), capacity=tt.Capacity(1, 1))
    by_ref = {s.reference: s for s in plan.slots}
    assert by_ref["F"].fixed and by_ref["F"].start_on == date(2014, 9, 29)
    assert by_ref["F"].notice_by == date(2014, 9, 1)
    assert by_ref["A"].start_on == date(2014, 9, 15)  # the week before is free
    plan = tt.schedule(
        [fixed, item("A"), item("B")], as_of=date(2014, 9, 1), capacity=tt.Capacity(1, 1)
    )
    starts = sorted(s.start_on for s in plan.slots if not s.fixed)
    assert starts == [date(2014, 9, 15), date(2014, 9, 22)]  # 29 Sept is taken


def test_no_capacity_means_no_start_and_every_review_is_unmeetable():
    plan = tt.schedule(
        [item("A"), item("B", kind=tt.LDA, cohort="LDA")],
        as_of=date(2014, 9, 1),
        capacity=tt.Capacity(0, 5),
    )
    assert len(plan.unmeetable) == 2 and all(s.start_on is None for s in plan.slots)


def test_non_statutory_plans_are_outside_the_timetable():
    plan = tt.schedule(
        [item("N", kind=tt.NON_STATUTORY, cohort="NON_STATUTORY"), item("A")],
        as_of=date(2014, 9, 1),
        capacity=tt.Capacity(1, 1),
    )
    assert plan.no_deadline == ("N",) and [s.reference for s in plan.slots] == ["A"]


def test_an_lda_can_start_the_day_it_is_scheduled():
    plan = tt.schedule(
        [item("L", kind=tt.LDA, cohort="LDA")], as_of=date(2014, 9, 3), capacity=tt.Capacity(1, 1)
    )
    (slot,) = plan.slots
    assert slot.start_on == date(2014, 9, 3) and slot.notice_by is None
    assert slot.plan_due == timescales.final_plan_due(date(2014, 9, 3))


def test_negative_capacity_is_refused():
    with pytest.raises(ValueError):
        tt.Capacity(-1, 2)


# --- properties ----------------------------------------------------------------------------------

COHORT_CODES = [c for c, cohort in tt.COHORTS.items() if cohort.deadline is not None]
jobs = st.lists(
    st.tuples(st.sampled_from([tt.STATEMENT, tt.STATEMENT, tt.LDA]), st.sampled_from(COHORT_CODES)),
    max_size=14,
)
days = st.dates(min_value=date(2014, 6, 1), max_value=date(2018, 4, 30))
capacities = st.builds(tt.Capacity, st.integers(0, 3), st.integers(0, 2))


def _items(spec):
    return [
        tt.ScheduleItem(f"R{i:03}", kind, tt.COHORTS[code]) for i, (kind, code) in enumerate(spec)
    ]


def _week_start(as_of, week):
    return as_of - timedelta(days=as_of.weekday()) + timedelta(weeks=week)


def _max_on_time(items, as_of, per_week) -> int:
    """Brute force: a maximum matching of reviews to weekly start places (Kuhn's algorithm),
    checking each place directly against ehc.timescales."""
    if per_week == 0:
        return 0
    horizon = 200
    feasible = []
    for it in items:
        release = tt.earliest_start(it.instrument_type, as_of)
        weeks = []
        for w in range(horizon):
            if _week_start(as_of, w) + timedelta(days=7) <= release:
                continue  # the week ends before the review may start: not a real place
            start = max(_week_start(as_of, w), release)
            if start > it.cohort.deadline:
                break
            if tt.plan_due(it.instrument_type, start) <= it.cohort.deadline:
                weeks.extend((w, k) for k in range(per_week))
        feasible.append(weeks)
    owner: dict = {}

    def augment(i, seen):
        for place in feasible[i]:
            if place in seen:
                continue
            seen.add(place)
            if place not in owner or augment(owner[place], seen):
                owner[place] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(len(items)))


@settings(max_examples=150, deadline=None)
@given(jobs, days, capacities)
# Found by hypothesis: only two weekly places fit between notice and the deadline.
@example(
    spec=[("statement", "POST16_2017")] * 3, as_of=date(2016, 11, 1), capacity=tt.Capacity(1, 1)
)
def test_schedule_properties(spec, as_of, capacity):
    items = _items(spec)
    plan = tt.schedule(items, as_of=as_of, capacity=capacity)
    assert sorted(s.reference for s in plan.slots) == sorted(i.reference for i in items)
    per_week = Counter()
    for slot in plan.slots:
        if slot.start_on is None:
            assert capacity.per_week == 0 and not slot.on_time
            continue
        per_week[slot.start_on - timedelta(days=slot.start_on.weekday())] += 1
        assert slot.start_on >= as_of
        if slot.instrument_type == tt.STATEMENT:
            assert as_of <= slot.notice_by and tt.notice_is_enough(slot.notice_by, slot.start_on)
            assert slot.plan_due == timescales.transfer_review_plan_due(
                slot.start_on, slot.notice_by
            )
        else:
            assert slot.plan_due == timescales.final_plan_due(slot.start_on)
        assert slot.on_time == (slot.plan_due <= slot.deadline)
    assert all(n <= capacity.per_week for n in per_week.values())
    # No schedule meets more deadlines.
    assert len(plan.on_time) == _max_on_time(items, as_of, capacity.per_week)


@settings(max_examples=100, deadline=None)
@given(jobs, days, capacities)
def test_earliest_deadline_first_within_a_type(spec, as_of, capacity):
    plan = tt.schedule(_items(spec), as_of=as_of, capacity=capacity)
    on_time = plan.on_time
    for a in on_time:
        for b in on_time:
            if a.instrument_type == b.instrument_type and a.deadline < b.deadline:
                assert a.start_on <= b.start_on


@settings(max_examples=60, deadline=None)
@given(jobs, days, st.integers(1, 3))
def test_more_capacity_never_meets_fewer_deadlines(spec, as_of, per):
    items = _items(spec)
    less = tt.schedule(items, as_of=as_of, capacity=tt.Capacity(per, 1))
    more = tt.schedule(items, as_of=as_of, capacity=tt.Capacity(per + 1, 1))
    assert len(more.on_time) >= len(less.on_time)


@settings(max_examples=200, deadline=None)
@given(days, days)
def test_plan_due_never_falls_as_the_start_moves_later(a, b):
    """The schedule relies on this: a later start never has an earlier plan date."""
    first, second = sorted([a, b])
    for kind in (tt.STATEMENT, tt.LDA):
        assert tt.plan_due(kind, first) <= tt.plan_due(kind, second)
