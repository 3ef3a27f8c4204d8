"""Forms for personal budgets. They parse input (money as Decimal, never float); the services
hold the rules, and their ValidationErrors come back next to the field they name."""

from decimal import Decimal

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Layout
from django import forms

from ehc.forms import GovDateField, GovForm
from ehc.register.fields import SettingChoiceField
from personal_budgets.models import (
    DirectPaymentDecision,
    DirectPaymentReview,
    Domain,
    Mechanism,
    PersonalBudget,
)
from personal_budgets.services import AMOUNT_NEGATIVE, AMOUNT_NOT_NUMBER, AMOUNT_PENNIES

TEXT_LIMIT = 5000


class MoneyField(forms.DecimalField):
    """Pounds and pence as a Decimal. Accepts '£1,500.50'; refuses anything else with a clear
    message; negative amounts and fractions of a penny are refused."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(
            label=label,
            max_digits=10,
            decimal_places=2,
            min_value=Decimal("0"),
            error_messages={
                "required": f"Enter {label[0].lower() + label[1:]}",
                "invalid": AMOUNT_NOT_NUMBER,
                "min_value": AMOUNT_NEGATIVE,
                "max_decimal_places": AMOUNT_PENNIES,
                "max_digits": "The amount is too large.",
                "max_whole_digits": "The amount is too large.",
            },
            widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
            help_text=kwargs.pop("help_text", "For example, 1500 or 1500.50"),
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace(" ", "").removeprefix("£")
        return super().to_python(value)


def money_layout(form) -> Layout:
    """The form's fields in order, with money inputs 10 characters wide (GOV.UK input widths)."""
    return Layout(
        *(
            Field.text(name, field_width=10) if isinstance(field, MoneyField) else name
            for name, field in form.fields.items()
        )
    )


def _text(label: str, *, required: bool = True, help_text: str = "", rows: int = 4):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter {label[0].lower() + label[1:]}"},
    )


def _radios(label: str, choices, *, required: bool = True, help_text: str = ""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        help_text=help_text,
        widget=forms.RadioSelect,
        error_messages={"required": f"Select {label[0].lower() + label[1:].rstrip('?')}"},
    )


CONDITION_CHOICES = [(name, label) for name, label in DirectPaymentDecision.CONDITIONS]


def _conditions_field(label: str, help_text: str = ""):
    return forms.MultipleChoiceField(
        label=label,
        choices=CONDITION_CHOICES,
        required=False,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
    )


def conditions_dict(selected) -> dict[str, bool]:
    return {name: name in (selected or []) for name, _ in CONDITION_CHOICES}


# -- requests ---------------------------------------------------------------------------------


class StaffRequestForm(GovForm):
    """A caseworker records a request that came by letter, email, phone or at a meeting."""

    submit_label = "Record the request"
    context = _radios("When was it asked for?", PersonalBudget.Context.choices)
    context_on = GovDateField(
        required=False,
        label="Date of the review or reassessment",
        help_text="Only for a request made during a review or reassessment.",
    )
    requested_on = GovDateField(label="Date the request was made")
    requested_by = _radios("Who asked?", PersonalBudget.Requester.choices)
    requester_name = forms.CharField(label="Their name", max_length=200, required=False)
    request_details = _text("What they would like it for", required=False)
    preference = _radios(
        "How would they like it managed?", PersonalBudget.Preference.choices, required=False
    )


class FamilyRequestForm(GovForm):
    submit_label = "Ask for a personal budget"
    request_details = _text(
        "What would you like a personal budget to pay for?",
        required=False,
        help_text="For example, speech and language therapy, or help to take part in clubs "
        "after school. You can leave this blank and talk to your caseworker instead.",
        rows=5,
    )
    preference = _radios(
        "How would you like the budget to be managed?",
        [
            Choice(
                PersonalBudget.Preference.DIRECT_PAYMENT,
                "Direct payments",
                hint="We pay the money to you, and you buy and manage the support.",
            ),
            Choice(
                PersonalBudget.Preference.ARRANGEMENT,
                "The council, school or college manages it",
                hint="They hold the money and arrange the support you have agreed with us. "
                "This is sometimes called a notional budget.",
            ),
            Choice(
                PersonalBudget.Preference.THIRD_PARTY,
                "Another person or organisation manages it for you",
                hint="A third-party arrangement.",
            ),
            Choice(PersonalBudget.Preference.COMBINATION, "A combination of these"),
            Choice(PersonalBudget.Preference.NOT_SURE, "I'm not sure yet"),
        ],
    )


# -- the budget's parts -----------------------------------------------------------------------


class ComponentForm(GovForm):
    submit_label = "Save this part"
    domain = _radios("Which part of the plan does it pay for?", Domain.choices)
    mechanism = _radios(
        "How is it managed?",
        Mechanism.choices,
        help_text="Direct payments cannot pay for a school or college place.",
    )
    agreed_provision = _text(
        "Agreed provision", help_text="The goods or services this part pays for."
    )
    amount = MoneyField(label="Amount a year, in pounds")
    needs_and_outcomes = _text(
        "Needs and outcomes a direct payment is to meet",
        required=False,
        help_text="Needed for a direct payment for special educational provision: it goes "
        "into section J of the plan.",
    )
    is_school_place = forms.BooleanField(
        label="This pays for a place at a school or post-16 institution", required=False
    )
    in_school_or_college = forms.BooleanField(
        label="The provision is delivered in a school or college", required=False
    )
    setting = SettingChoiceField(label="School or college", required=False)
    head_agreed_by = forms.CharField(
        label="Head teacher or principal who agreed in writing",
        max_length=200,
        required=False,
        help_text="Needed for a direct payment for provision in a school or college.",
    )
    head_agreed_on = GovDateField(required=False, label="Date they agreed in writing")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = money_layout(self)


# -- deciding ---------------------------------------------------------------------------------


class AgreeForm(GovForm):
    submit_label = "Agree this budget"
    agreed_on = GovDateField(label="Date the budget was agreed")

    def __init__(self, *args, direct_payments: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.direct_payments = direct_payments
        if not direct_payments:
            return
        self.fields["dp_recipient"] = _radios(
            "Who receives the direct payments?", PersonalBudget.Recipient.choices
        )
        self.fields["dp_nominee_name"] = forms.CharField(
            label="Nominee's name",
            max_length=200,
            required=False,
            help_text="Only if the payments go to a nominee.",
        )
        self.fields["dp_starts_on"] = GovDateField(label="Date direct payments start")
        self.fields["dp_payment_schedule"] = forms.CharField(
            label="When they are paid",
            max_length=300,
            help_text="For example, monthly in advance on the first working day of the month.",
            error_messages={"required": "Say when direct payments are paid"},
        )
        self.fields["conditions"] = _conditions_field(
            "The council is satisfied that (PB7)",
            help_text="Every condition must be met before direct payments are made.",
        )
        self.fields["dp_reasons"] = _text("The officer's reasons")
        self.helper.layout = Layout(*self.fields)  # the helper was built before these fields


class NotIdentifiedForm(GovForm):
    submit_label = "Record that no budget can be identified"
    decided_on = GovDateField(label="Date of the decision")
    reasons = _text(
        "Why no budget can be identified",
        help_text="For example, the provision is bought as part of a block arrangement and "
        "taking out a sum would harm services for others with plans (PB5).",
    )


class RefuseForm(GovForm):
    submit_label = "Refuse direct payments"
    decided_on = GovDateField(label="Date of the decision")
    conditions = _conditions_field(
        "Conditions the council is satisfied of", help_text="Leave unticked any that are not met."
    )
    reasons = _text("Reasons for refusing")


class ReduceForm(GovForm):
    submit_label = "Reduce the direct payment"
    decided_on = GovDateField(label="Date of the written notice")
    takes_effect_on = GovDateField(label="Date the reduction takes effect")
    new_amount = MoneyField(label="New amount a year, in pounds")
    reasons = _text("Reasons")

    def __init__(self, *args, components, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"] = forms.ModelChoiceField(
            label="Which direct payment?",
            queryset=components,
            widget=forms.RadioSelect,
            empty_label=None,
            error_messages={"required": "Select which direct payment"},
        )
        self.order_fields(["component"])
        self.helper.layout = money_layout(self)  # the helper was built before this field


class StopForm(GovForm):
    submit_label = "Stop direct payments"
    stop_ground = _radios("Why are they stopping?", DirectPaymentDecision.StopGround.choices)
    decided_on = GovDateField(label="Date of the written notice")
    takes_effect_on = GovDateField(label="Date payments stop")
    reasons = _text("Reasons")


class ReconsiderationRequestForm(GovForm):
    submit_label = "Record the request"
    requested_on = GovDateField(label="Date the family asked")


class ReconsiderationOutcomeForm(GovForm):
    submit_label = "Record the outcome"
    outcome = _radios("Outcome", DirectPaymentDecision.Outcome.choices)
    reconsidered_on = GovDateField(label="Date of the outcome")
    reasons = _text(
        "Reasons", help_text="Say how the family's representations were taken into account."
    )


class ReviewForm(GovForm):
    submit_label = "Record the review"
    occasion = _radios("What kind of review?", DirectPaymentReview.Occasion.choices)
    reviewed_on = GovDateField(label="Date of the review")
    findings = _text("What the review found")
