"""Statutory timescales for EHC needs assessments and plans in England.

Pure date arithmetic: plain ``datetime.date`` in, ``date`` out. No Django, no
database. Every rule refers to a row of /work/shared/spec/statutory-timescales.md
("spec A13" means row A13 of that document), and ``RULES`` describes each one
for caseworkers and parents.

The package is split by chapter of the spec; ``from ehc import timescales`` answers every
public name (spec section 9) whichever module defines it:

* ``calendar``: working days and period arithmetic (spec 8);
* ``assessment``: assessment to final plan (spec 1.2);
* ``mediation``: mediation (spec 4.2);
* ``tribunal``: appeals, Reg 44 orders, Reg 45 unopposed appeals (spec 4.3-4.5);
* ``reviews``: annual reviews, amendment, phase transfer, reassessment (spec 2);
* ``transfers``: moves between councils and transfer reviews of statements (spec 2, 3);
* ``budgets``: personal budgets and direct payments (spec 5);
* ``offer``: the Local Offer's clocks, which have no case (local-offer spec, LO1-LO3);
* ``rules``: the ``Rule`` record and the exception codes (spec 1.3).

Each chapter lists its rules beside its date functions; ``RULES`` below joins them.

Counting conventions (spec section 8.1):

* "within N weeks/days of" an event: the event day is not counted, so the
  deadline is the event date plus 7 x N (or N) days.
* "N months": the corresponding-date rule (Dodds v Walker): the same day number
  N months later, or the last day of that month if it has no such day.
* "working days": not Saturday, Sunday or an England-and-Wales bank holiday
  (substitute days and one-off proclaimed holidays included).
* Deadlines under the SEND Regulations do not roll forward off weekends or bank
  holidays; only the Tribunal's appeal deadline does (HESC Rules r.12).

Exceptions never move a date: they disapply the statutory limit for a case
(spec 0.1(1)). This package only says which exceptions a rule admits.
"""

from . import (
    advice,
    assessment,
    budgets,
    mediation,
    offer,
    reviews,
    transfers,
    tribunal,
)
from .advice import advice_request_accept_due, advice_request_due
from .assessment import (
    advice_due,
    decision_not_to_issue_due,
    decision_to_assess_due,
    draft_representations_end,
    final_plan_due,
    issued_within_20_weeks,
    setting_consultation_due,
)
from .budgets import dp_first_review_due
from .calendar import (
    CALENDAR_VERSION,
    add_months,
    is_working_day,
    next_working_day_on_or_after,
    working_days_after,
)
from .mediation import (
    mediation_agreement_due,
    mediation_arranged_by,
    mediation_certificate_due,
    mediation_contact_deadline,
    mediation_health_issues_due,
    mediation_rcb_agreement_notice_due,
)
from .offer import offer_action_due, offer_record_review_due, offer_report_due
from .reviews import (
    amended_plan_due,
    amended_plan_latest,
    amendment_representations_end,
    early_years_review_due,
    first_review_due,
    new_la_notice_due,
    new_la_review_due,
    next_review_due,
    not_amending_notice_due,
    phase_transfer_deadline,
    phase_transfer_latest_meeting,
    plan_transfer_due,
    post16_transfer_review_due,
    reassessment_decision_due,
    reassessment_plan_due,
    review_advice_latest,
    review_decision_due,
    review_notice_latest,
    review_report_due,
)
from .rules import EXCEPTION_CODES, Rule
from .transfers import (
    transfer_review_notice_latest,
    transfer_review_plan_due,
    transfer_review_rule,
)
from .tribunal import (
    appeal_deadline,
    order_amend_plan_due,
    order_assess_notice_due,
    order_change_placement_due,
    order_draft_plan_due,
    order_final_plan_due,
    order_make_plan_final_due,
    order_no_plan_due,
    recommendation_response_due,
    tribunal_order_immediate,
)

__all__ = [
    "amended_plan_latest",
    "amendment_representations_end",
    "early_years_review_due",
    "new_la_review_due",
    "next_review_due",
    "not_amending_notice_due",
    "phase_transfer_latest_meeting",
    "post16_transfer_review_due",
    "review_advice_latest",
    "CALENDAR_VERSION",
    "EXCEPTION_CODES",
    "RULES",
    "Rule",
    "add_months",
    "advice_due",
    "amended_plan_due",
    "advice_request_accept_due",
    "advice_request_due",
    "appeal_deadline",
    "decision_not_to_issue_due",
    "decision_to_assess_due",
    "dp_first_review_due",
    "draft_representations_end",
    "exception_allowed",
    "final_plan_due",
    "first_review_due",
    "is_working_day",
    "issued_within_20_weeks",
    "mediation_agreement_due",
    "mediation_arranged_by",
    "mediation_certificate_due",
    "mediation_contact_deadline",
    "mediation_health_issues_due",
    "mediation_rcb_agreement_notice_due",
    "new_la_notice_due",
    "next_working_day_on_or_after",
    "offer_action_due",
    "offer_record_review_due",
    "offer_report_due",
    "order_amend_plan_due",
    "order_assess_notice_due",
    "order_change_placement_due",
    "order_draft_plan_due",
    "order_final_plan_due",
    "order_make_plan_final_due",
    "order_no_plan_due",
    "phase_transfer_deadline",
    "plan_transfer_due",
    "reassessment_decision_due",
    "reassessment_plan_due",
    "recommendation_response_due",
    "review_decision_due",
    "review_notice_latest",
    "review_report_due",
    "setting_consultation_due",
    "transfer_review_notice_latest",
    "transfer_review_plan_due",
    "transfer_review_rule",
    "tribunal_order_immediate",
    "working_days_after",
]

_CHAPTERS = (assessment, advice, mediation, tribunal, reviews, budgets, transfers, offer)

#: Every rule, keyed by code, in the order of the spec. Store the code with each computed
#: deadline.
RULES: dict[str, Rule] = {rule.code: rule for chapter in _CHAPTERS for rule in chapter.RULES}
if len(RULES) != sum(len(chapter.RULES) for chapter in _CHAPTERS):
    raise RuntimeError("duplicate rule code in the timescales RULES table")


def exception_allowed(rule_code: str, exception_code: str) -> bool:
    """True if ``exception_code`` may be recorded against ``rule_code``. Spec 1.3.

    Unknown codes raise ValueError rather than quietly answering no.
    """
    if rule_code not in RULES:
        raise ValueError(f"unknown rule code {rule_code!r}")
    if exception_code not in EXCEPTION_CODES:
        raise ValueError(f"unknown exception code {exception_code!r}")
    return exception_code in RULES[rule_code].allowed_exceptions
