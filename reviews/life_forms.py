"""Forms for reassessments, moves between councils and ceasing. They parse; life.py decides."""

from django import forms
from django.db.models import Q

from ehc.forms import GovDateField, GovForm
from ehc.models import Setting
from reviews.models import Reassessment


class ReassessmentRequestForm(GovForm):
    submit_label = "Record the request"
    requested_by = forms.CharField(
        label="Who asked",
        max_length=200,
        help_text="The parent, young person, school or college, or health body.",
    )
    received_on = GovDateField(label="Date the request was received")


class ReassessmentDecisionForm(GovForm):
    submit_label = "Record the decision"
    decision = forms.ChoiceField(
        label="Will the council reassess?",
        choices=Reassessment.Decision.choices,
        widget=forms.RadioSelect,
    )
    decided_on = GovDateField(label="Date the family was told")
    reasons = forms.CharField(
        label="Reasons",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when refusing: the family may appeal.",
    )


class ReassessmentPlanForm(GovForm):
    submit_label = "Record the new plan"
    issued_on = GovDateField(label="Date the amended or new plan was issued")


class MoveOutForm(GovForm):
    submit_label = "Record the move"
    other_council = forms.CharField(label="The council the family is moving to", max_length=100)
    move_on = GovDateField(label="Date of the move")
    learnt_on = GovDateField(label="Date this council learnt of the move")


class MoveOutDoneForm(GovForm):
    submit_label = "Record that the plan was passed on"
    transferred_on = GovDateField(label="Date the plan was passed to the new council")


class MoveInForm(GovForm):
    submit_label = "Record the plan passed to us"
    other_council = forms.CharField(label="The council that passed the plan on", max_length=100)
    transferred_on = GovDateField(label="Date the plan was passed to us")
    last_reviewed_on = GovDateField(label="Date of the plan's last review", required=False)


class FamilyToldForm(GovForm):
    submit_label = "Record the letter"
    told_on = GovDateField(label="Date the family was told")
    will_reassess = forms.BooleanField(label="The council will reassess", required=False)


class CeaseForm(GovForm):
    submit_label = "Stop maintaining the plan"
    ceased_on = GovDateField(label="Date the plan stops")


class Post16MoveForm(GovForm):
    submit_label = "Record the planned move"
    move_on = GovDateField(label="Date of the planned move")
    new_setting = forms.ModelChoiceField(
        label="The new college or institution",
        queryset=Setting.objects.none(),
        required=False,
        empty_label="Not listed",
    )
    new_setting_name = forms.CharField(
        label="If it is not listed, its name",
        max_length=200,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_setting"].queryset = Setting.objects.filter(  # type: ignore[attr-defined]
            Q(kind=Setting.Kind.POST16) | Q(phase=Setting.Phase.POST16)
        ).order_by("name")
