"""Forms for reassessments, moves between councils and ceasing. They parse; life.py decides."""

from django import forms

from ehc.forms import GovDateField, GovForm
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
