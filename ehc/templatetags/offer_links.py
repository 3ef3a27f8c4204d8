"""`{% offer_link "information_advice" as link %}`: see ehc.offer_links."""

from django import template

from ehc.offer_links import TOPICS, OfferLink
from ehc.offer_links import offer_link as resolve

register = template.Library()


@register.simple_tag
def offer_link(topic: str, subject: object = "") -> OfferLink | None:
    if topic not in TOPICS:
        raise template.TemplateSyntaxError(f"Unknown offer topic {topic!r}")
    try:
        return resolve(topic, str(subject or ""))
    except Exception:  # a broken resolver must never break a letter or a case page
        return None
