"""The review clocks of spec §2 (R1-R20), with §0.1's corrections: the phase-transfer dates'
literal last days are 14 February and 30 March, and 12 weeks at most from a review meeting to
the final amended plan."""

from datetime import date

import pytest

from ehc import timescales as ts


def test_phase_transfer_literal_last_days():
    assert ts.phase_transfer_deadline(2027) == date(2027, 2, 14)
    assert ts.phase_transfer_deadline(2027, post16=True) == date(2027, 3, 30)
    with pytest.raises(TypeError):
        ts.phase_transfer_deadline("2027")


def test_latest_safe_meeting_is_12_weeks_before_the_deadline():
    # Spec §2: to finish by 14 February the meeting must be about mid-November.
    assert ts.phase_transfer_latest_meeting(date(2027, 2, 14)) == date(2026, 11, 22)
    assert ts.phase_transfer_latest_meeting(date(2027, 3, 30)) == date(2027, 1, 5)


def test_first_and_later_reviews():
    assert ts.first_review_due(date(2025, 10, 2)) == date(2026, 10, 1)
    assert ts.next_review_due(date(2025, 10, 2)) == date(2026, 10, 1)
    assert ts.next_review_due(date(2024, 2, 29)) == date(2025, 2, 27)


def test_meeting_clocks_worked_example():
    # Spec 8.3: meeting Mon 12 Jan 2026 -> decision Mon 9 Feb; final Mon 6 Apr (Easter Monday,
    # no rollover).
    meeting = date(2026, 1, 12)
    assert ts.review_decision_due(meeting) == date(2026, 2, 9)
    assert ts.amended_plan_latest(meeting) == date(2026, 4, 6)
    assert ts.amended_plan_due(ts.review_decision_due(meeting)) == ts.amended_plan_latest(meeting)
    assert ts.review_notice_latest(meeting) == date(2025, 12, 29)
    assert ts.review_advice_latest(meeting) == date(2025, 12, 29)
    assert ts.review_report_due(meeting) == date(2026, 1, 26)


def test_family_fifteen_days_begin_with_the_day_of_service():
    assert ts.amendment_representations_end(date(2026, 6, 10)) == date(2026, 6, 24)
    assert ts.not_amending_notice_due(date(2026, 6, 10)) == date(2026, 8, 5)


def test_under_fives_post16_and_new_council():
    assert ts.early_years_review_due(date(2026, 8, 31)) == date(2027, 2, 28)
    assert ts.post16_transfer_review_due(date(2027, 1, 31)) == date(2026, 8, 31)
    # R20: the later of 12 months from the last review and 3 months from the transfer.
    assert ts.new_la_review_due(date(2026, 6, 10), date(2026, 11, 20)) == date(2027, 6, 9)
    assert ts.new_la_review_due(date(2025, 12, 1), date(2026, 11, 20)) == date(2027, 2, 20)
    assert ts.reassessment_decision_due(date(2026, 3, 2)) == date(2026, 3, 17)
    assert ts.reassessment_plan_due(date(2026, 3, 2)) == date(2026, 6, 8)


@pytest.mark.parametrize(
    "code",
    [
        "R1",
        "R2",
        "R3",
        "R4",
        "R5",
        "R7",
        "R8",
        "R10",
        "R11",
        "R12",
        "R13",
        "R14",
        "R15",
        "R16",
        "R18",
        "R19",
        "R20",
        "R21",
        "R22",
    ],
)
def test_every_review_clock_has_a_rule(code):
    rule = ts.RULES[code]
    assert rule.title and rule.legal_basis and rule.explain_for(date(2026, 1, 1), date(2026, 2, 1))


def test_reassessment_plan_admits_the_reg_27_exceptions_and_reviews_none():
    assert ts.exception_allowed("R22", "SCHOOL_CLOSURE")
    assert not ts.exception_allowed("R8", "SCHOOL_CLOSURE")
