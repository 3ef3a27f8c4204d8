"""Tests for ehc.timescales: spec worked examples, calendar edge cases, properties, rules."""

import dataclasses
import inspect
import time
from datetime import UTC, date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehc import timescales as ts

# Building a year's holiday calendar on first use can exceed hypothesis's default deadline.
slow_ok = settings(deadline=None)
dates = st.dates(min_value=date(2014, 1, 1), max_value=date(2035, 12, 31))

MON_2_MAR_2026 = date(2026, 3, 2)


# ---------------------------------------------------------------------------
# Worked examples, spec 8.1 and 8.3
# ---------------------------------------------------------------------------


def test_request_received_mon_2_mar_2026():
    assert ts.decision_to_assess_due(MON_2_MAR_2026) == date(2026, 4, 13)
    assert ts.decision_not_to_issue_due(MON_2_MAR_2026) == date(2026, 6, 22)
    assert ts.final_plan_due(MON_2_MAR_2026) == date(2026, 7, 20)


def test_phase_transfer_2027_is_sunday_14_february():
    deadline = ts.phase_transfer_deadline(2027)
    assert deadline == date(2027, 2, 14)
    assert deadline.strftime("%a") == "Sun"  # a fixed date: no rollover


def test_post16_transfer_is_30_march():
    assert ts.phase_transfer_deadline(2027, post16=True) == date(2027, 3, 30)
    assert ts.phase_transfer_deadline(2027, True) == date(2027, 3, 30)


def test_review_meeting_mon_12_jan_2026():
    meeting = date(2026, 1, 12)
    decision = ts.review_decision_due(meeting)
    assert decision == date(2026, 2, 9)
    final = ts.amended_plan_due(decision)
    assert final == date(2026, 4, 6)  # 12 weeks from the meeting (spec R13)
    assert not ts.is_working_day(final)  # Easter Monday: the Regs have no rollover


def test_appeal_with_certificate_falls_in_christmas_window():
    sent, certificate = date(2026, 10, 1), date(2026, 11, 29)
    assert ts.mediation_contact_deadline(sent) == date(2026, 12, 1)
    assert ts.add_months(certificate, 1) == date(2026, 12, 29)
    assert ts.appeal_deadline(sent, certificate) == date(2027, 1, 4)


def test_mediation_certificate_over_christmas_2026():
    # 25 Dec, weekend, substitute Boxing Day Mon 28 Dec; then 29, 30, 31 Dec.
    assert ts.mediation_certificate_due(date(2026, 12, 24)) == date(2026, 12, 31)
    assert ts.working_days_after(date(2026, 12, 24), 3) == date(2026, 12, 31)


def test_draft_served_wed_10_jun_2026():
    assert ts.draft_representations_end(date(2026, 6, 10)) == date(2026, 6, 24)


def test_latest_request_for_september_2027_start():
    # Spec 8.3 (derived): a request received by 27 Sep 2026 still ends by 14 Feb 2027.
    assert ts.final_plan_due(date(2026, 9, 27)) == ts.phase_transfer_deadline(2027)
    assert ts.final_plan_due(date(2026, 9, 28)) > ts.phase_transfer_deadline(2027)


def test_issued_within_20_weeks_includes_the_last_day():
    assert ts.issued_within_20_weeks(MON_2_MAR_2026, date(2026, 7, 20))
    assert not ts.issued_within_20_weeks(MON_2_MAR_2026, date(2026, 7, 21))


# Calendar-day rules: (function, days after the start). None of them rolls off weekends.
CALENDAR_OFFSETS = [
    (ts.decision_to_assess_due, 42),
    (ts.decision_not_to_issue_due, 112),
    (ts.final_plan_due, 140),
    (ts.advice_due, 42),
    (ts.draft_representations_end, 14),
    (ts.setting_consultation_due, 15),
    (ts.mediation_arranged_by, 30),
    (ts.mediation_agreement_due, 14),
    (ts.review_report_due, 14),
    (ts.review_decision_due, 28),
    (ts.amended_plan_due, 56),
    (ts.review_notice_latest, -14),
    (ts.new_la_notice_due, 42),
    (ts.reassessment_decision_due, 15),
    (ts.reassessment_plan_due, 98),
    (ts.order_assess_notice_due, 14),
    (ts.order_no_plan_due, 70),
    (ts.order_final_plan_due, 98),
    (ts.order_draft_plan_due, 35),
    (ts.order_make_plan_final_due, 77),
    (ts.order_amend_plan_due, 35),
    (ts.order_change_placement_due, 14),
    (ts.recommendation_response_due, 35),
    (ts.tribunal_order_immediate, 0),
]


def _name(value: object) -> str:
    return getattr(value, "__name__", str(value))


@pytest.mark.parametrize(("fn", "days"), CALENDAR_OFFSETS, ids=_name)
@slow_ok
@given(start=dates)
def test_calendar_day_rules_never_roll(fn, days, start):
    assert fn(start) - start == timedelta(days=days)


# ---------------------------------------------------------------------------
# Bank holidays and working days
# ---------------------------------------------------------------------------


def test_england_subdivision_code_is_supported():
    assert "ENG" in holidays.list_supported_countries()["GB"]
    assert "GB-ENG" in ts.CALENDAR_VERSION
    assert holidays.__version__ in ts.CALENDAR_VERSION


def test_2026_weekday_holidays_match_spec_8_2():
    day, found = date(2026, 1, 1), set()
    while day.year == 2026:
        if day.weekday() < 5 and not ts.is_working_day(day):
            found.add(day)
        day += timedelta(days=1)
    expected = {
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),
    }
    assert found == expected


@pytest.mark.parametrize(
    "holiday",
    [
        date(2026, 12, 28),  # substitute for Boxing Day (Sat)
        date(2021, 12, 27),  # substitute for Christmas Day (Sat)
        date(2021, 12, 28),  # substitute for Boxing Day (Sun)
        date(2022, 9, 19),  # State Funeral of Queen Elizabeth II
        date(2023, 5, 8),  # Coronation of King Charles III
        date(2022, 6, 3),  # Platinum Jubilee
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2027, 3, 26),  # Good Friday
        date(2027, 3, 29),  # Easter Monday
    ],
)
def test_bank_holidays_are_not_working_days(holiday):
    assert holiday.weekday() < 5
    assert not ts.is_working_day(holiday)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 2),  # 2 January is a bank holiday in Scotland only
        date(2021, 12, 29),
        date(2026, 12, 29),
        date(2026, 11, 30),  # St Andrew's Day: Scotland only
    ],
)
def test_days_that_are_working_days_in_england(day):
    assert ts.is_working_day(day)


def test_weekends_are_not_working_days():
    assert not ts.is_working_day(date(2026, 3, 7))
    assert not ts.is_working_day(date(2026, 3, 8))


def test_working_days_after_skips_easter():
    assert ts.working_days_after(date(2026, 4, 2), 1) == date(2026, 4, 7)


def test_working_days_after_christmas_2021_substitutes():
    # Fri 24 Dec 2021: 25-28 Dec are weekend or substitute days.
    assert ts.working_days_after(date(2021, 12, 24), 1) == date(2021, 12, 29)


def test_working_days_after_zero_is_start():
    assert ts.working_days_after(date(2026, 3, 7), 0) == date(2026, 3, 7)


def test_next_working_day_on_or_after():
    assert ts.next_working_day_on_or_after(date(2026, 12, 26)) == date(2026, 12, 29)
    assert ts.next_working_day_on_or_after(MON_2_MAR_2026) == MON_2_MAR_2026


def test_plan_transfer_on_move_day_when_told_early():
    assert ts.plan_transfer_due(date(2026, 9, 1), date(2026, 6, 1)) == date(2026, 9, 1)


def test_plan_transfer_fifteen_working_days_when_told_late():
    # Told Thu 24 Dec 2026, move Mon 4 Jan 2027. Working days after: 29-31 Dec (3),
    # 4-8 Jan (8), 11-15 Jan (13), 18-19 Jan (15): Tue 19 Jan 2027.
    assert ts.plan_transfer_due(date(2027, 1, 4), date(2026, 12, 24)) == date(2027, 1, 19)


def test_plan_transfer_when_told_after_the_move():
    assert ts.plan_transfer_due(date(2026, 3, 2), date(2026, 3, 9)) == date(2026, 3, 30)


def test_holiday_lookup_is_fast_for_many_dates():
    start, began = date(2000, 1, 1), time.perf_counter()
    for offset in range(100_000):
        ts.is_working_day(start + timedelta(days=offset))
    assert time.perf_counter() - began < 5  # about 0.1 s with the per-year cache


@slow_ok
@given(start=dates, n=st.integers(min_value=1, max_value=30))
def test_working_days_after_lands_on_the_nth_working_day(start, n):
    result = ts.working_days_after(start, n)
    assert result > start
    assert result.weekday() < 5
    assert result not in holidays.country_holidays("GB", subdiv="ENG", years=result.year)
    between = (start + timedelta(days=i) for i in range(1, (result - start).days + 1))
    assert sum(ts.is_working_day(day) for day in between) == n


@slow_ok
@given(day=dates)
def test_next_working_day_skips_only_non_working_days(day):
    result = ts.next_working_day_on_or_after(day)
    assert ts.is_working_day(result)
    assert all(not ts.is_working_day(day + timedelta(days=i)) for i in range((result - day).days))


# ---------------------------------------------------------------------------
# Months: corresponding-date rule, month ends, leap years
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 1, 30), 1, date(2026, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 3, 15), 0, date(2026, 3, 15)),
    ],
)
def test_add_months(start, months, expected):
    assert ts.add_months(start, months) == expected


def test_mediation_contact_deadline_month_end():
    assert ts.mediation_contact_deadline(date(2026, 12, 31)) == date(2027, 2, 28)


def test_first_review_due_is_last_day_of_12_months():
    assert ts.first_review_due(date(2026, 1, 15)) == date(2027, 1, 14)
    assert ts.first_review_due(date(2026, 1, 1)) == date(2026, 12, 31)


def test_first_review_due_leap_day():
    # Spec 9 formula: 29 Feb 2028 + 12 months = 28 Feb 2029, less a day.
    assert ts.first_review_due(date(2028, 2, 29)) == date(2029, 2, 27)
    assert ts.first_review_due(date(2028, 3, 1)) == date(2029, 2, 28)


def test_dp_first_review_due_month_end():
    assert ts.dp_first_review_due(date(2026, 11, 30)) == date(2027, 2, 28)
    assert ts.dp_first_review_due(MON_2_MAR_2026) == date(2026, 6, 2)


@slow_ok
@given(day=dates, months=st.integers(min_value=-36, max_value=36))
def test_add_months_keeps_or_shortens_the_day(day, months):
    result = ts.add_months(day, months)
    assert result.day <= day.day
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    if result.day < day.day:  # clamped: must be the month's last day
        assert (result + timedelta(days=1)).day == 1


@slow_ok
@given(day=dates)
def test_first_review_is_within_a_year(day):
    due = ts.first_review_due(day)
    assert timedelta(days=363) <= due - day <= timedelta(days=365)
    assert due < ts.add_months(day, 12)


# ---------------------------------------------------------------------------
# Appeal deadline (HESC r.20 and r.12)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "certificate", "expected"),
    [
        (date(2026, 10, 25), None, date(2027, 1, 4)),  # 25 Dec -> first WD after 1 Jan
        (date(2026, 10, 31), None, date(2027, 1, 4)),  # 31 Dec
        (date(2025, 11, 1), None, date(2026, 1, 2)),  # 1 Jan -> Fri 2 Jan 2026
        (date(2026, 10, 24), None, date(2026, 12, 24)),  # Thu 24 Dec: outside the window
        (date(2026, 9, 1), date(2026, 11, 26), date(2027, 1, 4)),  # certificate pushes in
        (date(2026, 6, 15), None, date(2026, 9, 1)),  # 15 Aug -> Tue 1 Sep
        (date(2029, 6, 30), None, date(2029, 9, 3)),  # 30 Aug; 1 Sep 2029 is a Saturday
        (date(2026, 6, 1), None, date(2026, 9, 1)),  # 1 Aug
        (date(2026, 5, 31), None, date(2026, 7, 31)),  # Fri 31 Jul: stays
        (date(2026, 1, 14), None, date(2026, 3, 16)),  # Sat 14 Mar -> Mon 16 Mar
        (date(2026, 2, 3), None, date(2026, 4, 7)),  # Good Friday -> Tue after Easter
        (date(2026, 12, 31), None, date(2027, 3, 1)),  # 28 Feb 2027 is a Sunday
        (date(2026, 10, 1), date(2026, 10, 1), date(2026, 12, 1)),  # 2 months is later
        # The window test applies to the day the period ends, before any rollover (spec 9):
        (date(2021, 5, 31), None, date(2021, 8, 2)),  # Sat 31 Jul -> Mon 2 Aug
        (date(2022, 10, 24), None, date(2022, 12, 28)),  # Sat 24 Dec -> Wed 28 Dec
    ],
)
def test_appeal_deadline(sent, certificate, expected):
    assert ts.appeal_deadline(sent, certificate) == expected


def test_appeal_deadline_certificate_keyword():
    assert ts.appeal_deadline(date(2026, 10, 1), certificate_issued=date(2026, 11, 29)) == date(
        2027, 1, 4
    )


@slow_ok
@given(sent=dates)
def test_appeal_deadline_is_a_working_day_on_or_after_two_months(sent):
    raw = ts.add_months(sent, 2)
    deadline = ts.appeal_deadline(sent)
    assert deadline >= raw
    assert ts.is_working_day(deadline)
    if deadline.month == 8:  # only by rolling off a weekend at the end of July
        assert raw.month == 7 and deadline == ts.next_working_day_on_or_after(raw)


@slow_ok
@given(sent=dates, certificate=dates)
def test_certificate_never_makes_the_appeal_deadline_earlier(sent, certificate):
    with_certificate = ts.appeal_deadline(sent, certificate)
    assert with_certificate >= ts.appeal_deadline(sent)
    assert with_certificate >= ts.add_months(certificate, 1)


@slow_ok
@given(day=dates)
def test_week_properties(day):
    assert ts.final_plan_due(day) - day == timedelta(days=140)
    assert ts.decision_to_assess_due(day) - day == timedelta(days=42)


# ---------------------------------------------------------------------------
# Transfer reviews (spec 3, T8-T10)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "notice", "expected"),
    [
        (date(2015, 3, 31), date(2015, 3, 10), date(2015, 6, 16)),  # v1: notice + 14 weeks
        (date(2015, 4, 1), date(2015, 3, 18), date(2015, 7, 8)),  # v2: start + 14 weeks
        (date(2015, 8, 31), date(2015, 8, 17), date(2015, 12, 7)),  # v2
        (date(2015, 9, 1), date(2015, 8, 18), date(2016, 1, 5)),  # v3: start + 18 weeks
    ],
)
def test_transfer_review_versions(start, notice, expected):
    assert ts.transfer_review_plan_due(start, notice) == expected


# ---------------------------------------------------------------------------
# RULES table and exceptions (spec 1.3)
# ---------------------------------------------------------------------------

ASSESSMENT = {
    "SCHOOL_CLOSURE",
    "EY_CLOSURE",
    "EXCEPTIONAL_PERSONAL_CIRCUMSTANCES",
    "ABSENT_FROM_AREA",
}
TRIBUNAL_ORDER = ASSESSMENT | {"FAMILY_REPRESENTATIONS_LATE"}
EXPECTED_EXCEPTIONS = {
    "A2": ASSESSMENT | {"CORONAVIRUS"},
    "A5": {
        "EXCEPTIONAL_PERSONAL_CIRCUMSTANCES",
        "ABSENT_FROM_AREA",
        "MISSED_APPOINTMENT",
        "CORONAVIRUS",
    },
    # PA2 is the A5 clock as the organisation asked sees it: the same Reg 8(2) exceptions.
    "PA2": {
        "EXCEPTIONAL_PERSONAL_CIRCUMSTANCES",
        "ABSENT_FROM_AREA",
        "MISSED_APPOINTMENT",
        "CORONAVIRUS",
    },
    "A7": ASSESSMENT | {"CORONAVIRUS"},
    "A13": ASSESSMENT | {"CORONAVIRUS"},
    "R22": ASSESSMENT,
    **{
        code: TRIBUNAL_ORDER
        for code in (
            "Tb-assess",
            "Tb-no-plan",
            "Tb-final",
            "Tc-draft",
            "Tc-final",
            "Td-amend",
            "Te-placement",
            "Tf-continue",
        )
    },
}


@pytest.mark.parametrize("code", sorted(ts.RULES))
def test_rule_exceptions_match_matrix(code):
    assert ts.RULES[code].allowed_exceptions == frozenset(EXPECTED_EXCEPTIONS.get(code, ()))


@pytest.mark.parametrize("code", sorted(ts.RULES))
def test_rule_is_complete(code):
    rule = ts.RULES[code]
    assert rule.code == code
    assert rule.title and rule.legal_basis and rule.spec_row
    assert rule.verification in {"V", "P", "U"}
    text = rule.explain_for(MON_2_MAR_2026, date(2026, 4, 13))
    assert "{" not in text and "}" not in text
    if "{start" in rule.explain:
        assert "02 March 2026" in text


def test_rules_named_in_brief_and_used_by_the_engine_exist():
    needed = {
        "A2",
        "A5",
        "A7",
        "A10",
        "A12",
        "A13",
        "M2",
        "M3",
        "M5",
        "F1",
        "R1",
        "R8",
        "R11",
        "R14",
        "R15",
        "R22",
        "T8",
        "T9",
        "T10",
        "Tb-assess",
        "Tb-no-plan",
        "Tb-final",
    }
    assert needed <= ts.RULES.keys()


def test_verification_labels_follow_spec():
    assert ts.RULES["A13"].verification == "V"
    assert ts.RULES["A12"].verification == "P"  # guidance only
    assert ts.RULES["T10"].verification == "P"


def test_explain_example_wording():
    text = ts.RULES["A2"].explain_for(MON_2_MAR_2026, date(2026, 4, 13))
    assert text == (
        "6 weeks from the day the request was received (02 March 2026), the day itself not counted"
    )


@pytest.mark.parametrize(
    ("rule", "exception", "allowed"),
    [
        ("A5", "MISSED_APPOINTMENT", True),
        ("A2", "MISSED_APPOINTMENT", False),
        ("A7", "MISSED_APPOINTMENT", False),
        ("A13", "MISSED_APPOINTMENT", False),
        ("A5", "SCHOOL_CLOSURE", False),
        ("A5", "EY_CLOSURE", False),
        ("A2", "SCHOOL_CLOSURE", True),
        ("A13", "EY_CLOSURE", True),
        ("R22", "CORONAVIRUS", False),
        ("A13", "CORONAVIRUS", True),
        ("Tb-final", "ABSENT_FROM_AREA", True),
        ("A13", "FAMILY_REPRESENTATIONS_LATE", False),
        ("R8", "EXCEPTIONAL_PERSONAL_CIRCUMSTANCES", False),
        ("A10", "EXCEPTIONAL_PERSONAL_CIRCUMSTANCES", False),
    ],
)
def test_exception_allowed(rule, exception, allowed):
    assert ts.exception_allowed(rule, exception) is allowed


def test_coronavirus_only_on_the_four_assessment_clocks():
    having = {code for code in ts.RULES if ts.exception_allowed(code, "CORONAVIRUS")}
    # PA2 is A5 itself, seen from the organisation asked for advice.
    assert having == {"A2", "A5", "PA2", "A7", "A13"}


def test_exception_codes_have_labels():
    assert set(ts.EXCEPTION_CODES) == {
        "SCHOOL_CLOSURE",
        "EY_CLOSURE",
        "EXCEPTIONAL_PERSONAL_CIRCUMSTANCES",
        "ABSENT_FROM_AREA",
        "MISSED_APPOINTMENT",
        "FAMILY_REPRESENTATIONS_LATE",
        "CORONAVIRUS",
    }
    assert all(label.strip() for label in ts.EXCEPTION_CODES.values())


@pytest.mark.parametrize(("rule", "exception"), [("NOPE", "CORONAVIRUS"), ("A2", "NOPE")])
def test_exception_allowed_rejects_unknown_codes(rule, exception):
    with pytest.raises(ValueError, match="unknown"):
        ts.exception_allowed(rule, exception)


def test_rule_is_frozen_and_validated():
    with pytest.raises(dataclasses.FrozenInstanceError):
        ts.RULES["A2"].title = "changed"  # type: ignore[misc]
    with pytest.raises(ValueError, match="verification"):
        ts.Rule("X", "t", "b", "X", "Q", "e")
    with pytest.raises(ValueError, match="unknown exception"):
        ts.Rule("X", "t", "b", "X", "V", "e", frozenset({"WAITING_LIST"}))


# ---------------------------------------------------------------------------
# Public API shape (spec 9) and bad input
# ---------------------------------------------------------------------------

SPEC_9_SIGNATURES = {
    "decision_to_assess_due": ["received"],
    "decision_not_to_issue_due": ["received"],
    "final_plan_due": ["received"],
    "issued_within_20_weeks": ["received", "issued"],
    "advice_due": ["advice_request_received"],
    "draft_representations_end": ["draft_served"],
    "setting_consultation_due": ["consulted"],
    "mediation_contact_deadline": ["decision_sent"],
    "mediation_certificate_due": ["adviser_informed"],
    "mediation_arranged_by": ["la_informed"],
    "appeal_deadline": ["decision_sent", "certificate_issued"],
    "first_review_due": ["plan_issued"],
    "review_decision_due": ["meeting"],
    "amended_plan_due": ["amendments_sent"],
    "phase_transfer_deadline": ["transfer_year", "post16"],
    "reassessment_plan_due": ["notified"],
    "transfer_review_plan_due": ["start", "notice_given"],
    "working_days_after": ["start", "n"],
}


@pytest.mark.parametrize("name", sorted(SPEC_9_SIGNATURES))
def test_spec_9_names_and_signatures(name):
    fn = getattr(ts, name)
    assert list(inspect.signature(fn).parameters) == SPEC_9_SIGNATURES[name]
    assert "spec" in fn.__doc__.lower()


def test_optional_parameters_default_as_spec_says():
    assert inspect.signature(ts.appeal_deadline).parameters["certificate_issued"].default is None
    assert inspect.signature(ts.phase_transfer_deadline).parameters["post16"].default is False


SINGLE_DATE_FUNCTIONS = [fn for fn, _ in CALENDAR_OFFSETS] + [
    ts.mediation_contact_deadline,
    ts.mediation_certificate_due,
    ts.appeal_deadline,
    ts.first_review_due,
    ts.dp_first_review_due,
    ts.is_working_day,
    ts.next_working_day_on_or_after,
]

BAD_DATES = [
    datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
    "2026-03-02",
    None,
    True,
    20260302,
]


@pytest.mark.parametrize("fn", SINGLE_DATE_FUNCTIONS, ids=lambda fn: fn.__name__)
@pytest.mark.parametrize("bad", BAD_DATES, ids=repr)
def test_single_date_functions_reject_non_dates(fn, bad):
    with pytest.raises(TypeError, match="datetime.date"):
        fn(bad)


def test_datetime_message_explains_why():
    with pytest.raises(TypeError, match="not a datetime"):
        ts.final_plan_due(datetime(2026, 3, 2, 18, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    "call",
    [
        lambda: ts.issued_within_20_weeks(MON_2_MAR_2026, datetime(2026, 7, 1, tzinfo=UTC)),
        lambda: ts.appeal_deadline(MON_2_MAR_2026, "2026-04-01"),
        lambda: ts.transfer_review_plan_due(date(2015, 9, 1), None),
        lambda: ts.plan_transfer_due(MON_2_MAR_2026, datetime(2026, 2, 1, tzinfo=UTC)),
        lambda: ts.working_days_after(MON_2_MAR_2026, 1.5),
        lambda: ts.working_days_after(MON_2_MAR_2026, True),
        lambda: ts.add_months(MON_2_MAR_2026, True),
        lambda: ts.add_months("2026-03-02", 1),
        lambda: ts.phase_transfer_deadline("2027"),
        lambda: ts.phase_transfer_deadline(True),
        lambda: ts.phase_transfer_deadline(2027, post16="yes"),
        lambda: ts.RULES["A2"].explain_for(datetime(2026, 3, 2, tzinfo=UTC), date(2026, 4, 13)),
    ],
)
def test_other_bad_arguments_raise_type_error(call):
    with pytest.raises(TypeError):
        call()


def test_negative_working_days_raise_value_error():
    with pytest.raises(ValueError, match="n must be 0 or more"):
        ts.working_days_after(MON_2_MAR_2026, -1)


def test_transfer_review_rule_and_notice_by_version():
    from ehc import timescales as ts

    assert ts.transfer_review_rule(date(2015, 3, 31)) == "T8"
    assert ts.transfer_review_rule(date(2015, 4, 1)) == "T9"
    assert ts.transfer_review_rule(date(2015, 8, 31)) == "T9"
    assert ts.transfer_review_rule(date(2015, 9, 1)) == "T10"
    assert ts.transfer_review_notice_latest(date(2015, 9, 16)) == date(2015, 9, 2)
    assert "T7" in ts.RULES


def test_mediation_health_issues_and_health_only_agreement_clocks():
    from ehc import timescales as ts

    assert ts.mediation_health_issues_due(date(2026, 12, 24)) == date(2026, 12, 31)
    assert ts.mediation_rcb_agreement_notice_due(date(2026, 6, 1)) == date(2026, 6, 8)
    assert {"M4", "M10"} <= ts.RULES.keys()
