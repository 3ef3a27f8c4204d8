"""SEN2 fields on other pages' forms (through ehc.form_extensions): who made the request and
whether it came from relevant youth accommodation, asked when the request is registered."""

from django import forms
from django.core.exceptions import ValidationError

from ehc.form_extensions import FormExtension
from ehc.models import Case, User
from sen2 import services
from sen2.models import Placement, PlanDetail


def register_request_fields() -> dict[str, forms.Field]:
    collection = services.working_collection()
    return {
        "sen2_request_source": forms.ChoiceField(
            label="Who made the request (for the SEN2 return)",
            required=False,
            choices=collection.choices("RequestSource"),
            widget=forms.RadioSelect,
        ),
        "sen2_rya": forms.BooleanField(
            label="Made while the young person was in relevant youth accommodation",
            required=False,
        ),
    }


def register_request_save(*, case: Case, data: dict, acting_user: User) -> None:
    source, rya = data.get("sen2_request_source", ""), bool(data.get("sen2_rya"))
    if not source and not rya:
        return  # asked later, from the case's SEN2 page; rule R03 reports it until then
    try:
        services.request_detail_save(
            case=case,
            items=services.RequestItems(request_source=source, rya=rya),
            acting_user=acting_user,
        )
    except ValidationError as error:
        raise ValidationError(
            {"sen2_request_source": error.message_dict.get("request_source", error.messages)}
        ) from error


REGISTER_REQUEST = FormExtension(fields=register_request_fields, save=register_request_save)


PLAN_FLAGS = {
    "sen2_personal_budget": ("personal_budget", "A personal budget was taken up (PB)"),
    "sen2_direct_payments": ("direct_payments", "Direct payments (DP)"),
    "sen2_organised_arrangements": ("organised_arrangements", "Organised arrangements (OA)"),
    "sen2_residential": ("residential", "The plan names a residential placement (PlanRes)"),
    "sen2_work_based": ("work_based", "The plan names work-based learning (PlanWBP)"),
}


def issue_final_plan_fields() -> dict[str, forms.Field]:
    return {
        name: forms.BooleanField(label=label, required=False)
        for name, (_attr, label) in PLAN_FLAGS.items()
    }


def issue_final_plan_save(*, case: Case, data: dict, acting_user: User) -> None:
    """The plan's SEN2 flags, and the setting it names as the main placement from the day it
    was issued (when the setting has a URN or UKPRN and no placement is recorded yet)."""
    flags = {attr: bool(data.get(name)) for name, (attr, _label) in PLAN_FLAGS.items()}
    services.plan_detail_save(case=case, items=_plan_items(case, **flags), acting_user=acting_user)
    setting, issued_on = data.get("named_setting"), data.get("issued_on")
    if (
        setting is not None
        and (setting.urn or setting.ukprn)
        and issued_on is not None
        and not Placement.objects.filter(case=case).exists()
    ):
        services.placement_save(
            case=case,
            items=services.PlacementItems(
                setting=setting, sen_setting="", rank=1, entry_date=issued_on
            ),
            acting_user=acting_user,
        )


ISSUE_FINAL_PLAN = FormExtension(fields=issue_final_plan_fields, save=issue_final_plan_save)


def _plan_items(case: Case, **changes: object) -> services.PlanItems:
    """The plan's SEN2 items as saved, with `changes` applied."""
    existing = PlanDetail.objects.filter(case=case).first()
    names = [f.name for f in PlanDetail._meta.fields if f.name not in ("id", "case")]
    saved = {name: getattr(existing, name) for name in names} if existing else {}
    return services.PlanItems(**{**saved, **changes})


def cease_plan_fields() -> dict[str, forms.Field]:
    return {
        "sen2_cease_reason": forms.ChoiceField(
            label="Why the plan stops (for the SEN2 return)",
            choices=services.working_collection().choices("CeaseReason"),
            widget=forms.RadioSelect,
            required=False,  # asked for in save, so the reviews app's own refusals come first
        )
    }


def cease_plan_save(*, case: Case, data: dict, acting_user: User) -> None:
    """The cease reason, with the day the plan stops, on the plan's SEN2 record."""
    if not data.get("sen2_cease_reason"):
        raise ValidationError({"sen2_cease_reason": "Choose why the plan stops"})
    items = _plan_items(case, cease_date=data["ceased_on"], cease_reason=data["sen2_cease_reason"])
    try:
        services.plan_detail_save(case=case, items=items, acting_user=acting_user)
    except ValidationError as error:
        raise ValidationError(
            {"sen2_cease_reason": error.message_dict.get("cease_reason", error.messages)}
        ) from error


CEASE_PLAN = FormExtension(fields=cease_plan_fields, save=cease_plan_save)
