"""The staff case page's panel for the school the family named (ehc.register)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from ehc.models import Case
from ehc.register.forms import CaseSettingForm
from ehc.register.selectors import setting_suggestions, typed_school

register = template.Library()


@register.simple_tag
def case_setting_panel(case: Case) -> dict[str, Any] | None:
    """The suggestion panel, while the family named a school and no current setting is
    recorded: the register entries it may be, for the caseworker to confirm."""
    if case.child.current_setting_id is not None:
        return None
    typed = typed_school(case)
    if typed is None:
        return None
    suggestions = setting_suggestions(case=case)
    form = CaseSettingForm(suggestions=suggestions)
    form.helper.form_action = reverse("register:case_setting", args=[case.pk])
    return {"typed": typed, "suggestions": suggestions, "form": form}
