"""The questions of 'Ask for an EHC needs assessment' (one form per page) and the family's
sign-in forms, rendered with the GOV.UK Design System.

Every question form takes the journey so far, to word its questions ("you" for a young person
asking for themselves, otherwise the child's first name) and to check answers that depend on
earlier ones (a young person asking for themselves must be 16 or over).
"""

import re
from datetime import date

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from dateutil.relativedelta import relativedelta
from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.utils import timezone
from django.utils.formats import date_format

from ehc.forms import GovDateField, GovForm, GovFormHelper
from ehc.models import Case, Contact
from ehc.models.people import URN_VALIDATOR

TEXT_LIMIT = 5000
MAX_AGE_YEARS = 25
YOUNG_PERSON_MIN_AGE = 16

PARENT = Case.RequesterType.PARENT.value
YOUNG_PERSON = Case.RequesterType.YOUNG_PERSON.value
SCHOOL = Case.RequesterType.SCHOOL.value

REQUESTER_CHOICES = (
    Choice(PARENT, "A parent or carer", hint="Asking for your child."),
    Choice(
        YOUNG_PERSON,
        "A young person aged 16 to 25, asking for myself",
        hint="You must be 16 or over and under 25.",
    ),
    Choice(
        SCHOOL,
        "A school, college, nursery or other setting",
        hint="Asking with the knowledge of the child's parent or carer, or the young person.",
    ),
)
REQUESTER_SHORT = {
    PARENT: "A parent or carer",
    YOUNG_PERSON: "A young person, asking for themselves",
    SCHOOL: "A school, college, nursery or other setting",
}
CONTACT_METHODS = (
    (Contact.ContactMethod.EMAIL, "Email"),
    (Contact.ContactMethod.PHONE, "Phone call"),
    (Contact.ContactMethod.TEXT, "Text message"),
    (Contact.ContactMethod.POST, "Letter"),
)
YES_NO = (("yes", "Yes"), ("no", "No"))
PHONE_RE = re.compile(r"^\+?[0-9 ()\-]{10,25}$")
PHONE_ERROR = "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
EMAIL_ERROR = "Enter an email address in the correct format, like name@example.com"


def _text(label: str, *, required: bool, required_error: str = "", hint: str = "", rows=5):
    field = forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_error,
            "max_length": f"Your answer must be {TEXT_LIMIT:,} characters or fewer",
        },
    )
    return field


def _line(label: str, *, required: bool = True, required_error: str = "", max_length=200, **kw):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            "required": required_error,
            "max_length": f"{label.split(' (')[0]} must be {max_length} characters or fewer",
        },
        **kw,
    )


def _clean_phone(value: str) -> str:
    value = value.strip()
    if value and (not PHONE_RE.match(value) or not 10 <= len(re.sub(r"\D", "", value)) <= 15):
        raise forms.ValidationError(PHONE_ERROR)
    return value


class DateOfBirthField(GovDateField):
    """GOV.UK date messages: what is missing, or that the date cannot be real."""

    def clean(self, value):
        parts = [str(part or "").strip() for part in (value or ["", "", ""])]
        if not any(parts):
            raise forms.ValidationError(self.error_messages["required"], code="required")
        missing = [
            name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part
        ]
        if missing:
            raise forms.ValidationError(
                f"{self.label} must include a {' and a '.join(missing)}", code="incomplete"
            )
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(f"{self.label} must be a real date", code="invalid")
        if len(parts[2]) != 4:
            raise forms.ValidationError(f"{self.label} year must include 4 numbers", code="year")
        born = self.compress(parts)  # "must be a real date" if it is not
        self.validate(born)
        self.run_validators(born)
        return born


class Words:
    """How questions name the child: 'you' when a young person asks for themselves."""

    def __init__(self, journey):
        self.own = journey.requester_type == YOUNG_PERSON
        self.name = journey.child_first_name or "the child or young person"

    def __call__(self, own: str, other: str) -> str:
        return own if self.own else other.format(name=self.name)

    @property
    def possessive(self) -> str:
        return "your" if self.own else f"{self.name}'s"


class StepForm(GovForm):
    """One page of the journey. ``heading`` is the page's h1 (None when a question is the h1)."""

    heading: str | None = None
    intro: str = ""
    short_labels: dict[str, str] = {}  # row names on check your answers

    def __init__(self, *args, journey, **kwargs):
        self.journey = journey
        self.words = Words(journey)
        super().__init__(*args, **kwargs)
        self.helper.attrs = {"novalidate": ""}  # our messages, not the browser's
        self.helper.layout = None  # type: ignore[assignment]  # setup() may lay it out
        self.setup()
        if self.helper.layout is None:  # fields as setup() left them (reordered, removed)
            self.helper.layout = Layout(*self.fields)

    def setup(self) -> None:
        """Word the questions for this journey and lay out the page."""

    @property
    def possessive(self) -> str:
        """ "your" or "Ada's", for templates (which cannot call self.words with arguments)."""
        return self.words.possessive

    def page_title(self) -> str:
        if self.heading:
            return self.heading
        return str(next(iter(self.fields.values())).label)

    def summary_rows(self) -> list[tuple[str, str]]:
        """(question, answer) pairs for check your answers; call after is_valid()."""
        rows = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, value)
            elif isinstance(value, date):
                value = date_format(value, "j F Y")
            elif isinstance(value, bool):
                value = "Yes" if value else "No"
            label = self.short_labels.get(name) or str(field.label).removesuffix(" (optional)")
            rows.append((label, value or "Not given"))
        return rows


class WhoForm(StepForm):
    requester_type = forms.ChoiceField(
        label="Who is asking for the assessment?",
        choices=REQUESTER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who is asking for the assessment"},
    )

    def setup(self):
        self.helper.layout = Layout(
            Field.radios("requester_type", legend_size=Size.LARGE, legend_tag="h1")
        )

    def summary_rows(self):
        return [("Who is asking", REQUESTER_SHORT[self.cleaned_data["requester_type"]])]


class ReferrerForm(StepForm):
    """A school or setting asking: who they are, and that the family knows."""

    short_labels = {
        "full_name": "Name",
        "job_title": "Job title",
        "organisation": "School or setting",
        "email": "Email",
        "phone": "Phone",
        "family_knows": "The family knows",
    }

    heading = "About you and your setting"
    intro = (
        "A school, college or setting should normally ask with the agreement of the child's "
        "parent or carer, or the young person."
    )
    full_name = _line("Your full name", required_error="Enter your full name")
    job_title = _line(
        "Your job title",
        required_error="Enter your job title",
        max_length=100,
        help_text="For example, SENCO or headteacher.",
    )
    organisation = _line(
        "Name of your school, college, nursery or setting",
        required_error="Enter the name of your school, college, nursery or setting",
    )
    email = forms.EmailField(
        label="Your work email address",
        help_text="We will send confirmation of the request here.",
        error_messages={"required": "Enter your work email address", "invalid": EMAIL_ERROR},
    )
    phone = _line("Your work phone number (optional)", required=False, max_length=30)
    family_knows = forms.BooleanField(
        label=(
            "The child's parent or carer, or the young person, knows we are asking for this "
            "assessment"
        ),
        error_messages={"required": "Confirm the family knows you are asking for this assessment"},
    )

    def setup(self):
        autocomplete = {
            "full_name": "name",
            "job_title": "organization-title",
            "organisation": "organization",
            "email": "email",
            "phone": "tel",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["email"].widget.attrs["spellcheck"] = "false"
        self.fields["phone"].widget.attrs["type"] = "tel"

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"])


class ChildForm(StepForm):
    short_labels = {"first_name": "First name", "last_name": "Last name"}
    first_name = _line("First name", required_error="Enter a first name", max_length=100)
    last_name = _line("Last name", required_error="Enter a last name", max_length=100)
    date_of_birth = DateOfBirthField(label="Date of birth", help_text="For example, 27 3 2012")

    def setup(self):
        self.heading = self.words("Your name and date of birth", "The child or young person")
        w = self.words
        self.fields["first_name"].error_messages["required"] = w(
            "Enter your first name", "Enter the child or young person's first name"
        )
        self.fields["last_name"].error_messages["required"] = w(
            "Enter your last name", "Enter the child or young person's last name"
        )
        if self.words.own:
            self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
            self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
            for widget, part in zip(
                self.fields["date_of_birth"].widget.widgets,
                ("bday-day", "bday-month", "bday-year"),
                strict=True,
            ):
                widget.attrs["autocomplete"] = part
        self.fields["first_name"].widget.attrs["spellcheck"] = "false"
        self.fields["last_name"].widget.attrs["spellcheck"] = "false"

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born > today:
            raise forms.ValidationError("Date of birth must be today or in the past")
        if born + relativedelta(years=MAX_AGE_YEARS) <= today:
            raise forms.ValidationError(
                self.words(
                    "You must be under 25 to have an EHC needs assessment",
                    "The child or young person must be under 25 to have an EHC needs assessment",
                )
            )
        if self.words.own and born + relativedelta(years=YOUNG_PERSON_MIN_AGE) > today:
            raise forms.ValidationError(
                "You must be 16 or over to ask for yourself. A parent or carer, or your school, "
                "can ask for you"
            )
        return born


class ContactForm(StepForm):
    """The main contact: the parent or carer asking, the young person, or (when a school asks)
    the family member we should contact."""

    second = False
    short_labels = {
        "full_name": "Name",
        "relationship": "Relationship",
        "preferred_contact_method": "Contact by",
        "email": "Email",
        "phone": "Phone",
        "address": "Address",
        "communication_needs": "Communication needs",
    }
    full_name = _line("Full name", required_error="Enter a full name")
    relationship = forms.ChoiceField(
        label="Relationship",
        widget=forms.RadioSelect,
        choices=(),
        error_messages={"required": "Select the relationship"},
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={"invalid": EMAIL_ERROR},
    )
    phone = _line("Phone number", required=False, max_length=30)
    address = forms.CharField(
        label="Postal address",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Postal address must be 500 characters or fewer"},
    )
    preferred_contact_method = forms.ChoiceField(
        label="How should we contact you?",
        choices=CONTACT_METHODS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how we should contact you"},
    )
    communication_needs = _text(
        "Communication needs (optional)",
        required=False,
        hint=(
            "For example, an interpreter (say which language), British Sign Language, large "
            "print, easy read, or anything else that helps."
        ),
        rows=3,
    )

    def setup(self):
        w, requester = self.words, self.journey.requester_type
        own_details = not self.second and requester in (PARENT, YOUNG_PERSON)
        self.them = "you" if own_details else "them"
        if self.second:
            self.heading = w("A parent or carer to contact", "Another parent or carer")
        elif requester == SCHOOL:
            self.heading = f"{self.words.name}'s parent or carer"
        else:
            self.heading = w("Your contact details", "Your details")
        choices = [
            (Contact.Relationship.PARENT, "Parent"),
            (Contact.Relationship.CARER, "Carer or guardian"),
        ]
        if requester == YOUNG_PERSON and not self.second:
            del self.fields["relationship"]
        else:
            born = self.journey.child_date_of_birth
            if (
                requester == SCHOOL
                and not self.second
                and born
                and born + relativedelta(years=YOUNG_PERSON_MIN_AGE) <= timezone.localdate()
            ):
                choices.append((Contact.Relationship.YOUNG_PERSON, "The young person themselves"))
                self.heading = f"Who should we contact about {self.words.name}?"
            self.fields["relationship"].choices = choices
            self.fields["relationship"].label = (
                f"Your relationship to {w.name}" if own_details else f"Relationship to {w.name}"
            )
        if not own_details:
            self.fields["full_name"].error_messages["required"] = "Enter their full name"
            self.fields["preferred_contact_method"].label = "How should we contact them?"
            self.fields["preferred_contact_method"].error_messages["required"] = (
                "Select how we should contact them"
            )
        else:
            self.fields["full_name"].error_messages["required"] = "Enter your full name"
            for name, value in {
                "full_name": "name",
                "email": "email",
                "phone": "tel",
                "address": "street-address",
            }.items():
                self.fields[name].widget.attrs["autocomplete"] = value
        if not self.second:
            self.fields["email"].help_text = (
                "We will send confirmation of the request here, with a link to follow it online."
                if requester != SCHOOL
                else "We will send them a link to follow the request online."
            )
        self.fields["email"].widget.attrs["spellcheck"] = "false"
        self.fields["phone"].widget.attrs["type"] = "tel"
        self.order_fields(
            [
                "full_name",
                "relationship",
                "preferred_contact_method",
                "email",
                "phone",
                "address",
                "communication_needs",
            ]
        )

    def clean_phone(self):
        return _clean_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        method = data.get("preferred_contact_method")
        needs = {
            Contact.ContactMethod.EMAIL: ("email", "an email address"),
            Contact.ContactMethod.PHONE: ("phone", "a phone number"),
            Contact.ContactMethod.TEXT: ("phone", "a mobile phone number"),
            Contact.ContactMethod.POST: ("address", "a postal address"),
        }
        if method in needs:
            field, what = needs[method]
            if not data.get(field) and field not in self.errors:
                self.add_error(
                    field, f"Enter {what}, or choose another way for us to contact {self.them}"
                )
        return data


class AnotherContactForm(StepForm):
    short_labels = {"another": "Another parent or carer to contact"}
    another = forms.ChoiceField(
        label="Is there another parent or carer we should contact?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if there is another parent or carer to contact"},
    )

    def setup(self):
        if self.words.own:
            self.fields["another"].label = "Do you want us to contact a parent or carer as well?"
            self.fields["another"].error_messages["required"] = (
                "Select yes if you want us to contact a parent or carer as well"
            )
        self.helper.layout = Layout(
            Field.radios("another", legend_size=Size.LARGE, legend_tag="h1", inline=True)
        )


class SecondContactForm(ContactForm):
    second = True


class SettingForm(StepForm):
    short_labels = {"setting_name": "School or setting", "setting_urn": "URN"}
    setting_name = _line(
        "Name of the school, nursery, college or other setting", required=False, max_length=200
    )
    setting_urn = forms.CharField(
        label="School or setting's unique reference number (URN) (optional)",
        required=False,
        max_length=7,
        validators=[URN_VALIDATOR],
        help_text="A 6 or 7 digit number. Leave this blank if you do not know it.",
        error_messages={"max_length": "A URN is 6 or 7 digits"},
    )

    def setup(self):
        self.heading = self.words(
            "Where do you go to school, college or another setting?",
            "Where does {name} go to school, nursery, college or another setting?",
        )
        self.fields["setting_name"].help_text = self.words(
            "Leave this blank if you do not go to one.",
            "Leave this blank if {name} does not go to one.",
        )
        self.fields["setting_urn"].widget.attrs.update(
            {"inputmode": "numeric", "spellcheck": "false"}
        )
        self.helper.layout = Layout(
            Field.text("setting_name"), Field.text("setting_urn", field_width=10)
        )

    def clean(self):
        data = super().clean()
        if data.get("setting_urn") and not data.get("setting_name"):
            self.add_error(
                "setting_name", "Enter the name of the school or setting, or delete the URN"
            )
        return data


class _OneQuestionForm(StepForm):
    """A page whose single question is its heading."""

    def setup(self):
        name = next(iter(self.fields))
        self.helper.layout = Layout(
            Field.textarea(name, label_size=Size.LARGE, label_tag="h1", rows=8)
        )


class NeedsForm(_OneQuestionForm):
    short_labels = {"needs": "What they find difficult"}
    needs = _text("What does the child find difficult?", required=True, rows=8)

    def setup(self):
        w = self.words
        field = self.fields["needs"]
        field.label = w("What do you find difficult?", "What does {name} find difficult?")
        field.help_text = w(
            "For example, learning, communicating, making friends, behaviour, physical or sensory "
            "needs, or health. Say how this affects you at school, college or home.",
            "For example, learning, communicating, making friends, behaviour, physical or sensory "
            "needs, or health. Say how this affects {name} at school or setting, and at home.",
        )
        field.error_messages["required"] = w(
            "Tell us what you find difficult", "Tell us what {name} finds difficult"
        )
        super().setup()


class SupportForm(_OneQuestionForm):
    short_labels = {"support": "Help so far"}
    support = _text("What help has the child had so far?", required=True, rows=8)

    def setup(self):
        w = self.words
        field = self.fields["support"]
        field.label = w("What help have you had so far?", "What help has {name} had so far?")
        field.help_text = (
            "For example, extra help at school or setting, speech and language therapy, or help "
            "from health or social care services. If there has not been any help, say so."
        )
        field.error_messages["required"] = w(
            "Tell us what help you have had so far, or say there has not been any",
            "Tell us what help {name} has had so far, or say there has not been any",
        )
        super().setup()


class ViewsForm(StepForm):
    """These seed section A of a plan: views, interests and aspirations."""

    short_labels = {
        "views": "Views",
        "interests": "Interests",
        "aspirations": "Hopes for the future",
        "family_views": "Family's views",
    }

    views = _text("Views", required=False, rows=4)
    interests = _text("Interests", required=False, rows=4)
    aspirations = _text("Hopes for the future", required=False, rows=4)
    family_views = _text("What the family thinks", required=False, rows=4)

    def setup(self):
        w, requester = self.words, self.journey.requester_type
        self.heading = w("Your views, interests and hopes", "{name}'s views, interests and hopes")
        self.intro = w(
            "If the council writes an EHC plan, this helps with section A: your views, interests "
            "and hopes. Answer as many questions as you can.",
            "If the council writes an EHC plan, this helps with section A: {name}'s views, "
            "interests and hopes. Use {name}'s own words where you can. Answer as many questions "
            "as you can.",
        )
        self.fields["views"].label = w(
            "What do you think about your education and the help you need? (optional)",
            "What does {name} think about their education and the help they need? (optional)",
        )
        self.fields["interests"].label = w(
            "What do you enjoy, and what are you good at? (optional)",
            "What does {name} enjoy, and what are they good at? (optional)",
        )
        self.fields["aspirations"].label = w(
            "What are your hopes for the future? (optional)",
            "What are {name}'s hopes for the future? (optional)",
        )
        self.fields["family_views"].label = {
            YOUNG_PERSON: "Is there anything else you want to tell us? (optional)",
            SCHOOL: f"What does the family think {w.name} needs? (optional)",
        }.get(requester, f"What do you, as {w.name}'s family, think they need? (optional)")

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(name) for name in self.fields):
            self.add_error(
                "views",
                self.words(
                    "Answer at least one question about your views, interests and hopes",
                    "Answer at least one question about {name}'s views, interests and hopes",
                ),
            )
        return data


class DocumentsForm(StepForm):
    """One file at a time; the checks on its content are in family.services."""

    heading = "Upload supporting documents (optional)"
    document = forms.FileField(label="Upload a file", required=False)

    def setup(self):
        limit = settings.EHC_REQUEST_MAX_FILE_BYTES // (1024 * 1024)
        total = settings.EHC_REQUEST_MAX_TOTAL_BYTES // (1024 * 1024)
        self.fields["document"].help_text = (
            f"PDF, JPEG, PNG or Word documents. Each file must be smaller than {limit}MB, and "
            f"all your files together smaller than {total}MB."
        )
        self.helper.form_tag = False  # the page lays out its own form and button group
        self.helper.inputs = []

    def summary_rows(self):
        return []


class ConsentForm(StepForm):
    heading = "Privacy notice and consent"
    consent = forms.BooleanField(label="I agree", error_messages={"required": ""})

    def setup(self):
        la = settings.LOCAL_AUTHORITY_NAME
        field = self.fields["consent"]
        if self.journey.requester_type == SCHOOL:
            field.label = (
                f"The family knows we are sending this information to {la}, and how {la} will "
                "use and share it"
            )
            field.error_messages["required"] = (
                "Confirm the family knows you are sending this information and how it will be used"
            )
        else:
            field.label = (
                f"I have read the privacy notice, and I agree to {la} using this information as "
                "it describes"
            )
            field.error_messages["required"] = (
                "Confirm you have read the privacy notice and agree to how the information is used"
            )

    def summary_rows(self):
        return [("Privacy notice and consent", "Agreed")]


class SubmitForm(forms.Form):
    """The check-your-answers button: carries the journey's idempotency key."""

    key = forms.UUIDField(widget=forms.HiddenInput)


# -- signing in --------------------------------------------------------------------------------


class AccountSetupForm(SetPasswordForm):
    """Choose a password, from the link in the confirmation email."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Create a password"
        self.fields["new_password1"].help_text = (
            "Use at least 8 characters. Do not use a common password or one like your name or "
            "email address."
        )
        self.fields["new_password2"].label = "Type the password again"
        self.fields["new_password2"].help_text = ""
        self.error_messages["password_mismatch"] = "The passwords do not match"
        self.fields["new_password1"].error_messages["required"] = "Create a password"
        self.fields["new_password2"].error_messages["required"] = "Type the password again"
        self.helper = GovFormHelper(self)
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", "Save password and sign in"))


class SignInLinkForm(GovForm):
    submit_label = "Send me a link"
    email = forms.EmailField(
        label="Email address",
        help_text="The email address you gave when you asked for the assessment.",
        error_messages={"required": "Enter your email address", "invalid": EMAIL_ERROR},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.attrs = {"novalidate": ""}
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
