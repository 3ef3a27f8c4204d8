"""Small template helpers for the Local Offer pages."""

from django import template

from local_offer import vocabulary as v

register = template.Library()
METRES_PER_MILE = 1609.344


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key) if mapping else None


@register.filter
def miles(metres: float | None) -> str:
    if metres is None:
        return ""
    return f"{metres / METRES_PER_MILE:.1f}"


@register.filter
def day_names(byday: str) -> str:
    names = [v.DAY_LABELS.get(d, d) for d in byday.split(",") if d]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


@register.filter
def term_label(service, taxonomy: str) -> list[str]:
    return [t.name for t in service.terms.all() if t.taxonomy.code == taxonomy]
