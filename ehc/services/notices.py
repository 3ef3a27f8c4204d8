"""Checks every notice to the family passes before it is sent.

M1 (spec 4.2): every decision the family can appeal must carry the mediation information
(SEND Regs 2014 reg 32), checked against the letter exactly as it prints."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.html import strip_tags

from ehc.models import Notice

M1_MISSING = (
    "This notice cannot be sent: the letter is missing {missing}. Every decision the family can "
    "appeal must carry the mediation information (SEND Regs 2014 reg 32; spec M1)."
)


M1_ELEMENT_LABELS = {
    "right": "the right to mediation and to appeal",
    "certificate": "the need for a mediation certificate before appealing",
    "adviser": "the mediation adviser's contact details",
    "timescales": "the time limits (the date to contact the adviser and the date to appeal)",
    "tell_la": "the duty to tell the council whether the family is mediating, the issues and "
    "any health provision sought",
    "la_contact": "the council's contact details",
}


def _rights_text(notice: Notice) -> str:
    """The rights section exactly as the letter prints it, as plain lower-case text."""
    html = render_to_string(
        "ehc/notices/_rights.html",
        {
            "notice": notice,
            "mediation_adviser": settings.MEDIATION_ADVISER_CONTACT,
            "drs_contact": settings.DISAGREEMENT_RESOLUTION_CONTACT,
            "iass_contact": settings.IASS_CONTACT,
            "send_team": settings.LA_SEND_TEAM_CONTACT,
        },
    )
    return re.sub(r"\s+", " ", strip_tags(html)).lower()


def notice_m1_missing(notice: Notice) -> list[str]:
    """The M1 elements (spec 4.2) an appealable notice's letter lacks; [] when complete."""
    if not notice.is_appealable:
        return []
    text = _rights_text(notice)
    adviser = settings.MEDIATION_ADVISER_CONTACT.strip()
    la_contact = settings.LA_SEND_TEAM_CONTACT.strip()
    dates = [notice.mediation_contact_by, notice.appeal_by]
    present = {
        "right": "mediation" in text and "appeal" in text,
        "certificate": "certificate" in text,
        "adviser": bool(adviser) and adviser.lower() in text,
        "timescales": all(dates)
        and all(d is not None and date_format(d, "j F Y").lower() in text for d in dates),
        "tell_la": "tell us" in text and "mediat" in text and "health" in text,
        "la_contact": bool(la_contact) and la_contact.lower() in text,
    }
    return [code for code, ok in present.items() if not ok]


def appealable_notice_check(notice: Notice) -> None:
    """Refuse to send an appealable notice whose letter lacks any M1 element (Reg 32)."""
    missing = notice_m1_missing(notice)
    if missing:
        words = "; ".join(M1_ELEMENT_LABELS[m] for m in missing)
        raise ValidationError(M1_MISSING.format(missing=words), code="m1")
