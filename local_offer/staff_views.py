"""Council officers: providers' changes to approve, stale records, Schedule 2 completeness,
families' comments and the yearly 'you said, we did'."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ehc.models import SubjectDeadline, User
from ehc.services.common import local_today
from local_offer import clocks, roles, services
from local_offer.forms import ChangeDecisionForm, CommentAnswerForm, PublishForm, SynonymForm
from local_offer.models import ChangeRequest, Comment, Publication, Synonym
from local_offer.roles import OFFICER_GROUP
from local_offer.selectors import (
    change_diff,
    comments_to_triage,
    pending_changes,
    schedule2_completeness,
    stale_services,
)

APPROVE = roles.APPROVE_CHANGE
TRIAGE = "local_offer.triage_comment"


def next_publication_due() -> tuple[date | None, bool]:
    """When the next 'you said, we did' is due (its LO1 clock, the one on the managers'
    dashboard), and whether none has been published yet."""
    clock = SubjectDeadline.objects.filter(
        kind=clocks.REPORT, subject_type=clocks.OFFER, subject_id=clocks.OFFER_ID, is_open=True
    ).first()
    never = not Publication.objects.exists()
    return (clock.due_on if clock else None), never


def _officers():
    return User.objects.filter(groups__name=OFFICER_GROUP, is_active=True).order_by(
        "first_name", "username"
    )


@login_required
@permission_required(APPROVE, raise_exception=True)
def overview(request: HttpRequest) -> HttpResponse:
    today = local_today()
    due, never = next_publication_due()
    return render(
        request,
        "local_offer/staff/overview.html",
        {
            "pending": pending_changes()[:50],
            "stale": stale_services(today)[:50],
            "stale_count": stale_services(today).count(),
            "comments": comments_to_triage()[:50],
            "actions_overdue": Comment.objects.filter(
                status=Comment.Status.ACTION_OPEN, action_due_on__lt=today
            ).count(),
            "publication_due": due,
            "never_published": never,
            "today": today,
        },
    )


@login_required
@permission_required(APPROVE, raise_exception=True)
def change_decide(request: HttpRequest, change_id: int) -> HttpResponse:
    change = get_object_or_404(
        ChangeRequest.objects.select_related("service__organisation", "submitted_by"), pk=change_id
    )
    form = ChangeDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.change_request_approve(change=change, acting_user=request.user)
                messages.success(request, f"The change to {change.service.name} is published")
            else:
                services.change_request_reject(
                    change=change, note=form.cleaned_data["note"], acting_user=request.user
                )
                messages.success(request, f"The change to {change.service.name} was not approved")
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("local_offer_staff:overview")
    return render(
        request,
        "local_offer/staff/change.html",
        {"change": change, "diff": change_diff(change), "form": form},
    )


@login_required
@permission_required(APPROVE, raise_exception=True)
def completeness(request: HttpRequest) -> HttpResponse:
    rows = schedule2_completeness()
    return render(
        request,
        "local_offer/staff/completeness.html",
        {"rows": rows, "gap_count": sum(1 for r in rows if r.gaps)},
    )


@login_required
@permission_required(TRIAGE, raise_exception=True)
def comment_answer(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=comment_id)
    initial = {
        "summary": comment.summary,
        "response": comment.response,
        "action": comment.action,
        "action_owner": comment.action_owner_id,
        "action_due_on": comment.action_due_on,
        "anonymised_confirmed": comment.anonymised_confirmed,
    }
    form = CommentAnswerForm(request.POST or None, initial=initial, officers=_officers())
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_answer(comment=comment, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Your answer is saved")
            return redirect("local_offer_staff:overview")
    return render(request, "local_offer/staff/comment.html", {"comment": comment, "form": form})


@login_required
@permission_required(TRIAGE, raise_exception=True)
def publish(request: HttpRequest) -> HttpResponse:
    last = Publication.objects.order_by("-period_end").first()
    ready = list(services.publishable_comments(last.period_end if last else None))
    waiting = Comment.objects.filter(anonymised_confirmed=False).count()
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_publish(acting_user=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "'You said, we did' is published")
            return redirect("local_offer:you_said_we_did")
    return render(
        request,
        "local_offer/staff/publish.html",
        {"ready": ready, "waiting": waiting, "form": form, "last": last},
    )


@login_required
@permission_required(TRIAGE, raise_exception=True)
@require_POST
def comment_action_done(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=comment_id, status=Comment.Status.ACTION_OPEN)
    try:
        services.comment_action_done(comment=comment, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The action is recorded as done")
    return redirect("local_offer_staff:overview")


@login_required
@permission_required(APPROVE, raise_exception=True)
def synonyms(request: HttpRequest) -> HttpResponse:
    form = SynonymForm(request.POST or None)
    if request.method == "POST" and "delete" in request.POST:
        synonym = get_object_or_404(Synonym, pk=request.POST.get("delete"))
        services.synonym_delete(synonym=synonym, acting_user=request.user)
        messages.success(request, f"Removed: {synonym.words}")
        return redirect("local_offer_staff:synonyms")
    if request.method == "POST" and form.is_valid():
        try:
            services.synonym_add(words=form.cleaned_data["words"], acting_user=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Added to the search")
            return redirect("local_offer_staff:synonyms")
    return render(
        request,
        "local_offer/staff/synonyms.html",
        {"form": form, "synonyms": Synonym.objects.order_by("words")},
    )
