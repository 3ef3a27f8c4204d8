"""A notice to the family as the page and PDF every notice uses: the context that fills it in
(contacts every appealable notice must give, spec A3 and M1) and the PDF rendering."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from ehc import timescales
from ehc.models import Notice


def notice_context(notice: Notice) -> dict:
    return {
        "notice": notice,
        "case": notice.case,
        "plan": getattr(notice.case, "plan", None),
        "mediation_adviser": settings.MEDIATION_ADVISER_CONTACT,
        "drs_contact": settings.DISAGREEMENT_RESOLUTION_CONTACT,
        "iass_contact": settings.IASS_CONTACT,
        "send_team": settings.LA_SEND_TEAM_CONTACT,
        "local_authority_name": settings.LOCAL_AUTHORITY_NAME,
        "final_plan_due": timescales.final_plan_due(notice.case.clock_starts_on),
        "window_end": timescales.draft_representations_end(notice.sent_on)
        if notice.kind == Notice.Kind.DRAFT_PLAN
        else None,
    }


def notice_pdf_response(context: dict) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string("ehc/notices/notice.html", {**context, "for_pdf": True})
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{context['case'].reference}-{context['notice'].kind}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
