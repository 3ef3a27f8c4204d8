"""notifications.windows: which due dates a rule catches on a given day, in working days.

Dates are checked by hand against the 2026 England bank holidays: Good Friday 3 April, Easter
Monday 6 April, Christmas Day Friday 25 December, Boxing Day (substitute) Monday 28 December.
"""

from datetime import date

import pytest

from notifications.windows import DueWindow, due_soon_window, overdue_window

MON_13_APR = date(2026, 4, 13)  # due the Monday after the Easter weekend
SAT_18_APR = date(2026, 4, 18)
MON_28_DEC = date(2026, 12, 28)  # Boxing Day substitute holiday


def test_a_window_is_half_open():
    window = DueWindow(on_or_after=date(2026, 3, 2), before=date(2026, 3, 9))
    assert window.contains(date(2026, 3, 2))
    assert window.contains(date(2026, 3, 8))
    assert not window.contains(date(2026, 3, 9))
    assert not window.contains(date(2026, 3, 1))


@pytest.mark.parametrize(
    ("today", "caught"),
    [
        (date(2026, 3, 25), False),  # 11 working days to go
        (date(2026, 3, 26), True),  # 10: Easter takes two working days out of the count
        (date(2026, 3, 27), True),
    ],
)
def test_ten_working_days_before_counts_round_easter(today, caught):
    assert due_soon_window(today, 10).contains(MON_13_APR) is caught


@pytest.mark.parametrize(
    ("today", "caught"),
    [(date(2026, 4, 1), False), (date(2026, 4, 2), True), (date(2026, 4, 3), True)],
)
def test_five_working_days_before_falls_before_the_bank_holiday_weekend(today, caught):
    assert due_soon_window(today, 5).contains(MON_13_APR) is caught


def test_on_the_day_catches_the_due_day_only_when_it_is_a_working_day():
    assert due_soon_window(MON_13_APR, 0).contains(MON_13_APR)
    assert not due_soon_window(date(2026, 4, 10), 0).contains(MON_13_APR)


def test_on_the_day_for_a_saturday_deadline_is_the_friday_before():
    assert not due_soon_window(date(2026, 4, 16), 0).contains(SAT_18_APR)
    assert due_soon_window(date(2026, 4, 17), 0).contains(SAT_18_APR)


def test_on_the_day_for_a_deadline_on_a_christmas_bank_holiday_is_christmas_eve():
    assert not due_soon_window(date(2026, 12, 23), 0).contains(MON_28_DEC)
    assert due_soon_window(date(2026, 12, 24), 0).contains(MON_28_DEC)
    # ...and on the non-working days in between it is still "on the day".
    assert due_soon_window(date(2026, 12, 26), 0).contains(MON_28_DEC)


def test_a_nearer_rule_takes_over_the_last_days():
    ten_after_five = due_soon_window(date(2026, 4, 8), 10, nearer_lead=5)
    five = due_soon_window(date(2026, 4, 8), 5)
    # 8 April: 3 working days to go (9, 10, 13 April); the 5-day rule catches it, not the 10-day.
    assert not ten_after_five.contains(MON_13_APR)
    assert five.contains(MON_13_APR)


def test_nearer_lead_must_be_nearer():
    with pytest.raises(ValueError):
        due_soon_window(date(2026, 4, 8), 5, nearer_lead=5)


def test_past_due_dates_are_not_coming_up_but_are_overdue():
    assert not due_soon_window(date(2026, 4, 14), 10).contains(MON_13_APR)
    assert overdue_window(date(2026, 4, 14)).contains(MON_13_APR)
    assert not overdue_window(MON_13_APR).contains(MON_13_APR)  # the due day is not over yet
