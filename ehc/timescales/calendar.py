"""The calendar every statutory rule counts on (spec section 8).

Working days, period arithmetic (days, weeks, corresponding-date months) and the argument
checks shared by every chapter. The private helpers here are the only places periods are
computed; the chapter modules call them and never do date arithmetic of their own.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta

import holidays
from dateutil.relativedelta import relativedelta

_HOLIDAY_COUNTRY = "GB"
_HOLIDAY_SUBDIVISION = "ENG"  # England; Welsh bank holidays are the same set.

#: Names the holiday data behind every working-day result, so a stored
#: deadline can record which calendar produced it (spec 8.2).
CALENDAR_VERSION = f"holidays {holidays.__version__} {_HOLIDAY_COUNTRY}-{_HOLIDAY_SUBDIVISION}"


@functools.cache  # an unbounded functools.lru_cache
def _bank_holidays(year: int) -> frozenset[date]:
    # Building a holidays calendar is slow; one frozenset per year keeps long
    # loops over dates cheap.
    calendar = holidays.country_holidays(_HOLIDAY_COUNTRY, subdiv=_HOLIDAY_SUBDIVISION, years=year)
    return frozenset(calendar)


def _is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in _bank_holidays(d.year)


def _next_working_day(d: date) -> date:
    while not _is_working_day(d):
        d += timedelta(days=1)
    return d


def _working_days_after(start: date, n: int) -> date:
    d = start
    for _ in range(n):
        d = _next_working_day(d + timedelta(days=1))
    return d


# ---------------------------------------------------------------------------
# Argument checks
# ---------------------------------------------------------------------------


def _require_date(value: object, name: str) -> date:
    # datetime is a subclass of date; refuse it because the time of day
    # carries deemed-receipt rules that are applied before we get here.
    if isinstance(value, datetime):
        raise TypeError(
            f"{name} must be a datetime.date, not a datetime; "
            "apply the receipt-time rule first and pass the resulting date"
        )
    if not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, got {type(value).__name__}")
    return value


def _require_int(value: object, name: str) -> int:
    # bool is a subclass of int; True/False as a count is always a mistake.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    return value


# ---------------------------------------------------------------------------
# Period arithmetic (the only places periods are computed)
# ---------------------------------------------------------------------------


def _days_after(d: date, n: int) -> date:
    return d + timedelta(days=n)


def _weeks_after(d: date, n: int) -> date:
    return d + timedelta(weeks=n)


def _months_after(d: date, n: int) -> date:
    # relativedelta clamps to the month's last day: the corresponding-date rule.
    return d + relativedelta(months=n)


def _appeal_extension(d: date) -> date:
    """Apply HESC Rules r.12(2)-(3)(a) to a raw appeal deadline."""
    if d.month == 12 and d.day >= 25:
        return _next_working_day(date(d.year + 1, 1, 2))
    if d.month == 1 and d.day == 1:
        return _next_working_day(date(d.year, 1, 2))
    if d.month == 8:
        return _next_working_day(date(d.year, 9, 1))
    return _next_working_day(d)


# ---------------------------------------------------------------------------
# Public calendar helpers
# ---------------------------------------------------------------------------


def is_working_day(d: date) -> bool:
    """True unless ``d`` is a Saturday, Sunday or England-and-Wales bank holiday.

    Spec 8.1 ("working days") and 8.2; holiday data named by CALENDAR_VERSION.
    """
    return _is_working_day(_require_date(d, "d"))


def next_working_day_on_or_after(d: date) -> date:
    """``d`` itself if it is a working day, otherwise the next one. Spec 8.1."""
    return _next_working_day(_require_date(d, "d"))


def working_days_after(start: date, n: int) -> date:
    """The nth working day after ``start``; ``start`` itself is not counted.

    Spec 8.1 and 9. ``n == 0`` returns ``start`` unchanged; a negative ``n``
    raises ValueError.
    """
    start = _require_date(start, "start")
    if _require_int(n, "n") < 0:
        raise ValueError(f"n must be 0 or more, got {n}")
    return _working_days_after(start, n)


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months by the corresponding-date rule.

    Same day number ``n`` months later, or the last day of that month if it is
    shorter (31 Dec + 2 months -> 28/29 Feb). Dodds v Walker; spec 8.1.
    A negative ``n`` counts backwards the same way.
    """
    return _months_after(_require_date(d, "d"), _require_int(n, "n"))
