"""Where apps take part in issuing a final EHC plan (the core never imports them).

Two kinds of hook, registered from an app's AppConfig.ready():

- `on_final_plan_issued(hook)`: `hook(*, plan, acting_user)` runs inside plan_finalise's
  transaction, after the plan and its notice are saved, so a failing hook rolls the issue back
  with it. The reviews app uses this to make each issued plan a plan in force.
- `on_final_plan_check(OpenMatterCheck(...))`: things still open on the case that a final plan
  should not go out without (the personal budgets app: a personal budget request still being
  prepared). `open_matters(*, case)` lists them; plan_finalise refuses, naming each, unless the
  caseworker records why the plan goes without them. Then each check's
  `issued_without(*, case, plan, matters, reason, acting_user)` runs in the same transaction
  (the personal budgets app writes section J to say so) and the matters stay open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PLAN_ISSUED_HOOKS: list[Callable[..., None]] = []


def on_final_plan_issued(hook: Callable[..., None]) -> None:
    if hook not in PLAN_ISSUED_HOOKS:
        PLAN_ISSUED_HOOKS.append(hook)


def final_plan_issued(*, plan: Any, acting_user: Any) -> None:
    for hook in PLAN_ISSUED_HOOKS:
        hook(plan=plan, acting_user=acting_user)


@dataclass(frozen=True)
class OpenMatter:
    """One thing open on the case, e.g. 'the personal budget requested on 3 March 2027'."""

    key: str  # stable, e.g. "personal_budget:12"
    description: str


@dataclass(frozen=True)
class OpenMatterCheck:
    open_matters: Callable[..., list[OpenMatter]]  # open_matters(*, case)
    issued_without: Callable[..., None]  # (*, case, plan, matters, reason, acting_user)


PLAN_CHECKS: list[OpenMatterCheck] = []


def on_final_plan_check(check: OpenMatterCheck) -> None:
    if check not in PLAN_CHECKS:
        PLAN_CHECKS.append(check)


def final_plan_open_matters(*, case: Any) -> list[tuple[OpenMatterCheck, list[OpenMatter]]]:
    """Each registered check with what it finds open on the case (checks finding nothing left
    out)."""
    found = []
    for check in PLAN_CHECKS:
        matters = check.open_matters(case=case)
        if matters:
            found.append((check, matters))
    return found
