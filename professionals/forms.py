"""Forms for organisations, invitations, advice requests and school requests. They parse
input; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from ehc.forms import GovDateField, GovForm
from ehc.models import Setting, User
from ehc.services.assessment import ADVISERS
from professionals import services
from professionals.models import Organisation


class OrganisationForm(GovForm):
    submit_label = "Create organisation"
    kind = forms.ChoiceField(
        label="What kind of organisation is it?",
        choices=Organisation.Kind.choices,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label="Name",
        max_length=200,
        required=False,
        help_text="Leave blank for a school or setting to use its name in the register.",
    )
    setting = forms.ModelChoiceField(
        label="School or setting (from the settings register)",
        queryset=Setting.objects.order_by("name"),
        required=False,
        help_text="Only for a school or setting.",
    )
    email = forms.EmailField(label="Shared inbox email address", required=False)

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if not data.get("name") and not data.get("setting"):
            self.add_error("name", "Enter the organisation's name.")
        return data


class SuspendForm(GovForm):
    submit_label = "Suspend now"
    reason = forms.CharField(label="Why (kept with the record)", max_length=300)


class InviteForm(GovForm):
    submit_label = "Send invitation"
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(label="Work email address")
    is_admin = forms.BooleanField(
        label="Make them an administrator (they can invite and remove members)", required=False
    )
    is_senco = forms.BooleanField(
        label="They are the SENCO (they may request assessments for the school)", required=False
    )

    def __init__(self, *args, school: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not school:
            del self.fields["is_senco"]


class AcceptInvitationForm(GovForm):
    submit_label = "Join"
    password = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput,
        help_text="At least 12 characters. You will also set up an authenticator app.",
    )

    def __init__(self, *args, needs_password: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_password:
            del self.fields["password"]


class AdviceRequestSendForm(GovForm):
    submit_label = "Send request"
    adviser = forms.ChoiceField(
        label="Which advice?",
        choices=[(k, v) for k, v in ADVISERS.items() if k != "parent"],
        widget=forms.RadioSelect,
    )
    organisation = forms.ModelChoiceField(
        label="Organisation to ask",
        queryset=Organisation.objects.filter(suspended_at=None).order_by("name"),
        help_text="The request goes to the organisation's inbox; any of its members can take it up.",
    )
    questions = forms.CharField(
        label="What should the advice cover?",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    why = forms.CharField(
        label="Why the council is asking",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to the organisation with the request and its due date.",
    )
    details = forms.MultipleChoiceField(
        label="Which of the child's details does the advice need?",
        choices=list(services.CHILD_DETAILS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="Share only what the adviser needs. Name and date of birth are always needed.",
    )


class ColleagueChoiceField(forms.ModelChoiceField):
    """A colleague, shown by full name (the username if there is none)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class AssignForm(GovForm):
    submit_label = "Assign"
    assignee = ColleagueChoiceField(label="Colleague", queryset=None)

    def __init__(self, *args, candidates: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, ColleagueChoiceField)
        field.queryset = candidates


class QuestionForm(GovForm):
    submit_label = "Send question"
    text = forms.CharField(label="Your question", widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(GovForm):
    submit_label = "Send answer"
    text = forms.CharField(label="Answer", widget=forms.Textarea(attrs={"rows": 3}))


class UploadForm(GovForm):
    submit_label = "Upload"
    document = forms.FileField(label="Upload a document")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_enctype = "multipart/form-data"
        self.fields[
            "document"
        ].help_text = (
            f"PDF, JPEG, PNG or Word; up to {services.max_file_bytes() // services.MB}MB each."
        )


class AdviceForm(GovForm):
    submit_label = "Save draft"
    needs = forms.CharField(
        label="The child's special educational needs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    outcomes = forms.CharField(
        label="Outcomes the provision should achieve",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    provision = forms.CharField(
        label="The provision the child needs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    other_comments = forms.CharField(
        label="Anything else", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SchoolRequestForm(GovForm):
    submit_label = "Send the request"
    first_name = forms.CharField(label="Pupil's first name", max_length=100)
    last_name = forms.CharField(label="Pupil's last name", max_length=100)
    date_of_birth = GovDateField(label="Pupil's date of birth")
    parent_name = forms.CharField(label="Parent or carer's full name", max_length=200)
    parent_email = forms.EmailField(
        label="Parent or carer's email address",
        help_text="We tell them about the request and ask for their views.",
    )
    reasons = forms.CharField(
        label="Why the school is asking for an assessment",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    support_so_far = forms.CharField(
        label="Support the school has given so far",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    parent_knows = forms.BooleanField(
        label="The parent knows the school is making this request",
        help_text="A school asks with the family's knowledge (Children and Families Act 2014 s.36).",
    )


class ParentViewsForm(GovForm):
    submit_label = "Send my views"
    views = forms.CharField(
        label="Your views",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What you think of the request, what your child finds hard, and what would help.",
    )


class ContributionRequestForm(GovForm):
    submit_label = "Ask for the contribution"
    organisation = forms.ModelChoiceField(
        label="Organisation to ask",
        queryset=Organisation.objects.filter(suspended_at=None).order_by("name"),
        help_text="Usually the child's school or setting.",
    )
    questions = forms.CharField(
        label="What should the contribution cover?",
        widget=forms.Textarea(attrs={"rows": 4}),
        initial="Progress towards the outcomes in the plan, and anything that should change.",
    )


class ContributionForm(GovForm):
    submit_label = "Send the contribution"
    progress = forms.CharField(
        label="Progress towards the outcomes in the plan", widget=forms.Textarea(attrs={"rows": 6})
    )
    views = forms.CharField(
        label="What should change in the plan, and why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
