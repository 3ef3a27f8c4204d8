"""Where apps hear that a final EHC plan has been issued (the core never imports them).

An app registers `hook(*, plan, acting_user)` from its AppConfig.ready(); plan_finalise calls
every hook inside its transaction, after the plan and its notice are saved, so a failing hook
rolls the issue back with it. The reviews app uses this to make each issued plan a plan in force.
"""

from collections.abc import Callable

PLAN_ISSUED_HOOKS: list[Callable[..., None]] = []


def on_final_plan_issued(hook: Callable[..., None]) -> None:
    if hook not in PLAN_ISSUED_HOOKS:
        PLAN_ISSUED_HOOKS.append(hook)


def final_plan_issued(*, plan, acting_user) -> None:
    for hook in PLAN_ISSUED_HOOKS:
        hook(plan=plan, acting_user=acting_user)
