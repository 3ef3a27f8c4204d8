from django import template

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
