"""SEN2 fields on other pages' forms (through ehc.form_extensions): who made the request and
whether it came from relevant youth accommodation, asked when the request is registered."""

from django import forms
from django.core.exceptions import ValidationError

from ehc.form_extensions import FormExtension
from ehc.models import Case, User
from sen2 import services


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
