"""Each timescale rule carries the function that computes its date."""

from datetime import date

import pytest

from ehc import timescales as ts


@pytest.mark.parametrize("code", sorted(ts.RULES))
def test_every_rule_names_its_due_date_function_from_its_own_spec_row(code):
    rule = ts.RULES[code]
    assert rule.due is not None, code
    function = getattr(rule.due, "func", rule.due)  # a partial names its function
    assert function.__module__.startswith("ehc.timescales."), code
    assert getattr(ts, function.__name__) is function, f"{code}: not a public name"
    rows = [r.strip() for r in rule.spec_row.split(",")]
    doc = " ".join((function.__doc__ or "").split())
    assert any(row in doc for row in rows), f"{code}: {function.__name__} never cites {rows}"


@pytest.mark.parametrize(
    ("code", "args", "expected"),
    [
        ("A13", (date(2026, 1, 5),), ts.final_plan_due(date(2026, 1, 5))),
        ("M3", (date(2026, 1, 5),), ts.mediation_certificate_due(date(2026, 1, 5))),
        ("Tb-assess", (date(2026, 1, 5),), ts.order_assess_notice_due(date(2026, 1, 5))),
        ("R14", (2027,), date(2027, 2, 14)),
        ("R15", (2027,), date(2027, 3, 30)),
        (
            "R18",
            (date(2026, 9, 1), date(2026, 6, 1)),
            ts.plan_transfer_due(date(2026, 9, 1), date(2026, 6, 1)),
        ),
    ],
)
def test_due_on_gives_the_rule_s_date(code, args, expected):
    assert ts.RULES[code].due_on(*args) == expected


def test_a_rule_without_a_function_says_so():
    with pytest.raises(ValueError, match="X: no due-date function"):
        ts.Rule("X", "t", "b", "X", "V", "e").due_on(date(2026, 1, 5))
