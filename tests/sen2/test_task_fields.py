"""SEN2 items asked where the caseworker records them: issuing the final plan asks the plan's
PB, DP, OA, residential and work-based flags, and the setting it names becomes the main
placement from the day it was issued. The task page is read as rendered and only its fields
are filled."""

from datetime import date

import pytest
from django.urls import reverse

from ehc.models import Setting
from ehc.register.selectors import setting_label
from sen2.models import Placement, PlanDetail
from tests.sen2.conftest import date_values, error_summary, rendered_form
from tests.workflows.conftest import register, task_url, walker_for  # noqa: F401  (fixtures)
from tests.workflows.test_assessment_flow import (
    draft_and_serve,
    gather_all_advice,
    notify_and_decide,
)

pytestmark = pytest.mark.django_db


def test_issuing_the_final_plan_records_its_sen2_items(register, walker_for, client):  # noqa: F811
    school = Setting.objects.create(
        name="Oak Special", kind="school", phase="special", urn="123456"
    )
    case = register()
    walk = walker_for(case)
    notify_and_decide(walk, assess=True, decided_on=date(2026, 4, 6))
    gather_all_advice(walk, date(2026, 4, 8), date(2026, 5, 15))
    draft_and_serve(walk, served_on=date(2026, 6, 10))
    walk.post("consult_settings", {"action": "done"})

    task = walk.take("issue_final_plan")
    url = task_url(case, task)
    form = rendered_form(client.get(url))
    for name in ("sen2_personal_budget", "sen2_direct_payments", "sen2_organised_arrangements"):
        assert form.fields[name].kind == "checkbox"
    values = {
        **date_values("issued_on", date(2026, 7, 10)),
        "named_setting": setting_label(school),
        "setting_type": "",
        "sen2_personal_budget": True,
        "sen2_direct_payments": True,
    }
    response = client.post(url, form.fill(values))
    assert response.status_code == 302, error_summary(response)

    plan = PlanDetail.objects.get(case=case)
    assert (plan.personal_budget, plan.direct_payments, plan.organised_arrangements) == (
        True,
        True,
        False,
    )
    placement = Placement.objects.get(case=case)
    assert (placement.setting, placement.rank, placement.entry_date) == (
        school,
        1,
        date(2026, 7, 10),
    )
    page = client.get(reverse("sen2:case", args=[case.pk])).content.decode()
    assert "Oak Special (URN 123456)" in page
