from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key)


@register.filter
def subject_label(subject_key: str) -> str:
    """Plain words for a deadline's or event's subject (an adviser or a setting)."""
    from ehc.services.assessment import ADVISERS

    return ADVISERS.get(subject_key, subject_key)
