"""Error messages say what to do ("Select …", "Enter …"), as GOV.UK's do, never Django's
"This field is required.": on any GovForm, and on the pages people send empty."""

import pytest
from django import forms

from ehc.forms import GovForm

pytestmark = pytest.mark.django_db


class _Everything(GovForm):
    recipients = forms.CharField(label="Who was told")
    decision = forms.ChoiceField(
        label="Will the council issue an EHC plan?", choices=[("yes", "Yes"), ("no", "No")]
    )
    reason = forms.ChoiceField(label="Reason the regulations allow", choices=[("a", "A")])
    letter = forms.FileField(label="The letter")
    consent = forms.BooleanField(label="I agree to the privacy notice")
    upn = forms.CharField(label="UPN")
    why = forms.CharField(label="Why it matters?")
    own = forms.CharField(label="Name", error_messages={"required": "Enter the child's name"})
    optional = forms.CharField(label="Notes", required=False)


def test_each_kind_of_field_says_what_is_missing():
    form = _Everything(data={})
    assert not form.is_valid()
    assert {name: errors[0] for name, errors in form.errors.items()} == {
        "recipients": "Enter who was told",
        "decision": "Select an answer to: Will the council issue an EHC plan?",
        "reason": "Select reason the regulations allow",
        "letter": "Choose the letter",
        "consent": "Select I agree to the privacy notice",
        "upn": "Enter UPN",
        "why": "Answer: Why it matters?",
        "own": "Enter the child's name",
    }


def test_a_field_added_after_the_form_is_made_is_covered_too():
    form = GovForm(data={})
    form.fields["late"] = forms.CharField(label="Date of the meeting")
    assert not form.is_valid()
    assert form.errors["late"] == ["Enter date of the meeting"]


def test_registering_a_request_sent_empty_says_what_to_enter(client, caseworker):
    client.force_login(caseworker)
    response = client.post("/staff/cases/new/", {})
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "This field is required" not in body
