"""Forms of the Local Offer: the directory search (GET), families' reports and comments, the
shortlist email, providers' changes and officers' decisions. Forms parse and check input; the
services decide and write."""

from __future__ import annotations

from datetime import time

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.core.exceptions import ValidationError

from ehc.forms import GovForm
from local_offer import vocabulary as v
from local_offer.models import Comment, ProblemReport, Service
from local_offer.postcodes import postcode_locate
from local_offer.selectors import DirectoryFilters, Near
from local_offer.services import ScheduleDetails, ServiceDetails

COMMENT_LIMIT = 10_000
MILES = 1609.344
DISTANCE_CHOICES = [
    ("1", "1 mile"),
    ("3", "3 miles"),
    ("5", "5 miles"),
    ("10", "10 miles"),
    ("25", "25 miles"),
]
REFERRAL_CHOICES = [("", "Either"), ("no", "No referral needed"), ("yes", "Referral needed")]
AGE_MESSAGE = "Enter an age from 0 to 25, like 9"
TIME_MESSAGE = "Enter a time like 09:30 or 16:00"


def parse_time(raw: str) -> time | None:
    raw = (raw or "").strip().lower().replace(".", ":")
    if not raw:
        return None
    for suffix, add in (("am", 0), ("pm", 12)):
        if raw.endswith(suffix):
            raw = raw[: -len(suffix)].strip()
            hour, _, minute = raw.partition(":")
            h = int(hour) % 12 + add if hour.isdigit() else -1
            raw = f"{h:02d}:{minute or '00'}"
    try:
        return time.fromisoformat(raw if len(raw) > 2 else f"{int(raw):02d}:00")
    except ValueError as error:
        raise ValidationError(TIME_MESSAGE) from error


class DirectorySearchForm(forms.Form):
    """The directory's search and filters, sent by GET so results can be bookmarked and shared."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        error_messages={"max_length": "Enter a UK postcode, like SW1A 1AA."},
    )
    distance = forms.ChoiceField(label="Distance", choices=DISTANCE_CHOICES, required=False)
    age = forms.IntegerField(
        label="Age of the child or young person",
        required=False,
        error_messages={"invalid": AGE_MESSAGE},
    )
    category = forms.MultipleChoiceField(
        label="Category", choices=v.CATEGORIES, required=False, widget=forms.CheckboxSelectMultiple
    )
    need = forms.MultipleChoiceField(
        label="Type of need",
        choices=v.NEED_TYPES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    day = forms.ChoiceField(label="Day", choices=[("", "Any day"), *v.DAYS], required=False)
    time = forms.CharField(
        label="Open at", required=False, max_length=20, error_messages={"max_length": TIME_MESSAGE}
    )
    free = forms.BooleanField(label="Free services only", required=False)
    referral = forms.ChoiceField(
        label="Referral", choices=REFERRAL_CHOICES, required=False, widget=forms.RadioSelect
    )
    access = forms.MultipleChoiceField(
        label="Venue accessibility",
        choices=v.ACCESS_FEATURES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_age(self) -> int | None:
        age = self.cleaned_data.get("age")
        if age is not None and not v.MIN_AGE <= age <= v.MAX_AGE:
            raise ValidationError(AGE_MESSAGE)
        return age

    def clean_time(self) -> time | None:
        return parse_time(self.cleaned_data.get("time", ""))

    def clean(self) -> dict:
        data = super().clean()
        postcode = data.get("postcode", "").strip()
        self.located = None
        if postcode:
            try:
                self.located = postcode_locate(postcode)
            except ValidationError as error:
                self.add_error("postcode", error.message_dict["postcode"][0])
        return data

    def filters(self) -> DirectoryFilters:
        data = self.cleaned_data
        near = None
        if self.located is not None:
            miles = float(data.get("distance") or 5)
            near = Near(
                latitude=self.located.latitude,
                longitude=self.located.longitude,
                metres=miles * MILES,
                label=self.located.display,
            )
        referral = {"yes": True, "no": False}.get(data.get("referral") or "")
        return DirectoryFilters(
            q=data.get("q", ""),
            categories=tuple(data.get("category") or ()),
            need_types=tuple(data.get("need") or ()),
            age=data.get("age"),
            near=near,
            day=data.get("day") or "",
            at_time=data.get("time"),
            free_only=bool(data.get("free")),
            referral=referral,
            access_features=tuple(data.get("access") or ()),
        )


class ProblemReportForm(GovForm):
    submit_label = "Send report"
    kind = forms.ChoiceField(
        label="What is the problem?",
        choices=ProblemReport.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the problem is"},
    )
    details = forms.CharField(
        label="Tell us more",
        widget=forms.Textarea,
        max_length=COMMENT_LIMIT,
        error_messages={
            "required": "Tell us what is wrong with this page",
            "max_length": f"Tell us in {COMMENT_LIMIT:,} characters or fewer",
        },
        help_text="Do not include personal information, such as your child's name.",
    )


class CommentForm(GovForm):
    submit_label = "Send comment"
    about = forms.ChoiceField(
        label="What is your comment about?",
        choices=Comment.About.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what your comment is about"},
    )
    text = forms.CharField(
        label="Your comment",
        widget=forms.Textarea,
        max_length=COMMENT_LIMIT,
        error_messages={
            "required": "Enter your comment",
            "max_length": f"Your comment must be {COMMENT_LIMIT:,} characters or fewer",
        },
        help_text="We publish what people tell us each year, without anything that could identify "
        "you. Do not include names or contact details.",
    )


class ShortlistEmailForm(GovForm):
    submit_label = "Email me my shortlist"
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        help_text="We only use it to send you this list. We do not keep it.",
    )


DAY_FIELDS = 3


class ServiceChangeForm(GovForm):
    """What a provider can change: the service's description, who it is for and when it runs."""

    submit_label = "Send for approval"
    name = forms.CharField(label="Name of the service", max_length=200)
    description = forms.CharField(label="What the service does", widget=forms.Textarea)
    eligibility = forms.CharField(label="Who it is for", widget=forms.Textarea)
    minimum_age = forms.IntegerField(label="Youngest age", min_value=0, max_value=25)
    maximum_age = forms.IntegerField(label="Oldest age", min_value=0, max_value=25)
    how_to_apply = forms.CharField(label="How to use or apply for it", widget=forms.Textarea)
    referral_needed = forms.TypedChoiceField(
        label="Does someone need to refer the child or young person?",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda x: x == "yes",
        widget=forms.RadioSelect,
    )
    how_decisions_made = forms.CharField(
        label="How decisions are made about who gets it", widget=forms.Textarea, required=False
    )
    is_free = forms.TypedChoiceField(
        label="Is it free?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda x: x == "yes",
        widget=forms.RadioSelect,
    )
    fees_description = forms.CharField(label="What it costs", required=False, max_length=500)
    url = forms.URLField(label="Website", required=False, assume_scheme="https")
    email = forms.EmailField(label="Email address", required=False)
    status = forms.ChoiceField(
        label="Is it running?", choices=Service.Status.choices, widget=forms.RadioSelect
    )
    alert = forms.CharField(label="Short notice for families", required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, DAY_FIELDS + 1):
            self.fields[f"days_{i}"] = forms.MultipleChoiceField(
                label=f"Session {i}: days",
                choices=v.DAYS,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[f"opens_{i}"] = forms.CharField(
                label=f"Session {i}: opens at", required=False
            )
            self.fields[f"closes_{i}"] = forms.CharField(
                label=f"Session {i}: closes at", required=False
            )
        for name in ("minimum_age", "maximum_age"):
            self.fields[name].error_messages.update(
                {
                    "min_value": "Enter an age from 0 to 25",
                    "max_value": "Enter an age from 0 to 25",
                    "invalid": "Enter an age from 0 to 25",
                    "required": "Enter an age from 0 to 25",
                }
            )
        # The helper lays out the fields it finds, so rebuild it now the sessions are added.
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("submit", self.submit_label))

    @classmethod
    def initial_for(cls, details: ServiceDetails) -> dict:
        data = details.as_json()
        data["referral_needed"] = "yes" if details.referral_needed else "no"
        data["is_free"] = "yes" if details.is_free else "no"
        for i, schedule in enumerate(details.schedules[:DAY_FIELDS], start=1):
            data[f"days_{i}"] = list(schedule.byday)
            data[f"opens_{i}"] = schedule.opens_at.strftime("%H:%M")
            data[f"closes_{i}"] = schedule.closes_at.strftime("%H:%M")
        data.pop("schedules")
        return data

    def clean(self) -> dict:
        data = super().clean()
        schedules = []
        for i in range(1, DAY_FIELDS + 1):
            days = data.get(f"days_{i}") or []
            raw_open, raw_close = data.get(f"opens_{i}", ""), data.get(f"closes_{i}", "")
            if not (days or raw_open or raw_close):
                continue
            try:
                opens, closes = parse_time(raw_open), parse_time(raw_close)
            except ValidationError as error:
                self.add_error(f"opens_{i}", error)
                continue
            if not days:
                self.add_error(f"days_{i}", "Choose the days of this session")
            elif opens is None or closes is None:
                self.add_error(f"opens_{i}", "Enter when the session opens and closes")
            elif closes <= opens:
                self.add_error(f"closes_{i}", "The closing time must be after the opening time")
            else:
                order = [d for d, _ in v.DAYS]
                schedules.append(
                    ScheduleDetails(
                        byday=tuple(sorted(days, key=order.index)), opens_at=opens, closes_at=closes
                    )
                )
        self.schedules = tuple(schedules)
        return data

    def details(self, current: ServiceDetails) -> ServiceDetails:
        data = self.cleaned_data
        kept = {s.opens_at: s.description for s in current.schedules}
        schedules = tuple(
            ScheduleDetails(s.byday, s.opens_at, s.closes_at, kept.get(s.opens_at, ""))
            for s in self.schedules
        )
        return ServiceDetails(
            name=data["name"],
            description=data["description"],
            eligibility=data["eligibility"],
            how_to_apply=data["how_to_apply"],
            minimum_age=data["minimum_age"],
            maximum_age=data["maximum_age"],
            referral_needed=data["referral_needed"],
            how_decisions_made=data.get("how_decisions_made", ""),
            is_free=data["is_free"],
            fees_description=data.get("fees_description", ""),
            url=data.get("url", ""),
            email=data.get("email", ""),
            status=data["status"],
            alert=data.get("alert", ""),
            schedules=schedules,
        )


class ChangeDecisionForm(GovForm):
    submit_label = "Save decision"
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve and publish the change"), ("reject", "Do not approve")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to approve the change"},
    )
    note = forms.CharField(
        label="Reason, if not approved (sent to the provider)",
        widget=forms.Textarea,
        required=False,
    )


class CommentAnswerForm(GovForm):
    submit_label = "Save answer"
    summary = forms.CharField(
        label="The comment as it will be published",
        widget=forms.Textarea,
        help_text="Leave out anything that could identify the person or a child.",
        error_messages={"required": "Enter the comment as it will be published"},
    )
    response = forms.CharField(
        label="Our response (you said, we did)",
        widget=forms.Textarea,
        error_messages={"required": "Enter the council's response"},
    )
    action = forms.CharField(label="Action we will take", widget=forms.Textarea, required=False)
    action_owner = forms.ModelChoiceField(
        label="Who owns the action", queryset=None, required=False
    )
    action_due_on = forms.DateField(
        label="Action due by (for example, 2027-03-31)",
        required=False,
        error_messages={"invalid": "Enter the due date like 2027-03-31"},
    )
    anonymised_confirmed = forms.BooleanField(
        label="I have checked the published comment identifies nobody",
        required=False,
    )

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_owner"].queryset = officers
        self.fields["action_owner"].label_from_instance = lambda u: u.get_full_name() or u.username


class PublishForm(GovForm):
    submit_label = "Publish 'you said, we did'"
    confirm = forms.BooleanField(
        label="Publish the answered comments listed above",
        error_messages={"required": "Confirm you want to publish the report"},
    )


class SynonymForm(GovForm):
    submit_label = "Add"
    words = forms.CharField(
        label="Words that mean the same",
        max_length=300,
        help_text="Separate them with commas, for example: ADHD, attention deficit",
        error_messages={"required": "Enter at least two words or phrases, separated by commas."},
    )
