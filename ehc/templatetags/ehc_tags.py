from django import template

from ehc import registries

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key)


@register.filter
def subject_label(subject_key: str) -> str:
    """Plain words for a deadline's or event's subject (an adviser or a setting)."""
    from ehc.services.assessment import ADVISERS

    if subject_key in ADVISERS:
        return ADVISERS[subject_key]
    prefix = subject_key.split(":", 1)[0]
    return SUBJECT_PREFIXES.get(prefix, subject_key)


# Subjects that name a record by id ("budget:12"): say what kind of thing it is.
SUBJECT_PREFIXES = {
    "budget": "Personal budget",
    "setting": "Setting consulted",
    "disagreement": "Disagreement",
    "appeal": "Appeal",
    "order": "Tribunal order",
}


@register.simple_tag(takes_context=True)
def nav_links(context) -> list[tuple[str, str]]:
    """The header's links for the signed-in user, as the apps registered them."""
    return registries.nav_links_for(context["user"])


@register.simple_tag
def case_panels(slot: str) -> list[str]:
    """Templates the apps registered for one place on the staff or the family case page."""
    return registries.case_panel_templates(slot)


@register.simple_tag
def dashboard_tabs() -> list[tuple[str, str]]:
    """(label, url) of each tab of the managers' dashboards."""
    return registries.dashboard_links()


@register.simple_tag
def page_numbers(page) -> list:
    """The page numbers GOV.UK pagination shows: the first, the last, and two either side of
    the current one, with an ellipsis (None) for each gap."""
    numbers: list = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        numbers.append(None if number == page.paginator.ELLIPSIS else number)
    return numbers


@register.filter
def in_sentence(text) -> str:
    """A label as it reads inside a sentence: lower case, except acronyms ('Final EHC plan' ->
    'final EHC plan', where `|lower` would write 'final ehc plan')."""
    words = str(text).split(" ")
    return " ".join(w if sum(c.isupper() for c in w) > 1 else w.lower() for w in words)
