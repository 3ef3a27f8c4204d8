"""Managers' changes to alert rules, validated and recorded in the rules' history."""

from ehc import timescales
from ehc.models import User
from ehc.services.common import save_audited
from notifications.family_news import family_event_kinds
from notifications.models import AlertRule


def alert_rule_save(*, rule: AlertRule, acting_user: User) -> AlertRule:
    """Validate and save a new or edited rule; the next sweep uses it. Raises ValidationError."""
    rule.deadline_kinds = _in_order(rule.deadline_kinds, list(timescales.RULES))
    rule.event_kinds = _in_order(rule.event_kinds, family_event_kinds())
    save_audited(rule, acting_user=acting_user)
    return rule


def _in_order(chosen: list[str], order: list[str]) -> list[str]:
    """Without repeats, in the statutory order (A2 before A12), unknown codes last for clean()."""
    position = {code: index for index, code in enumerate(order)}
    return sorted(set(chosen), key=lambda code: (position.get(code, len(order)), code))
