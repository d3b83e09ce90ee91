"""Back-office pages of rumours (线索 → 辟谣): the leads list with filters and export, a
lead with its triage, the rebuttal editor and its detail (expert reviews, publishing),
the incident's tab "rumors", the expert's reviews with a phone-first decision page, and
the normal-times misinformation log (004 (18)) from the rollups."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from kepu.core import clock, exports, periods, rollups, scope
from kepu.core.excel import Column
from kepu.core.forms import ReasonForm, region_field
from kepu.core.scope import has_permission, visible_to
from kepu.core.views.common import (
    export_list,
    filter_is_usable,
    form_page,
    paginate,
    permission_required,
    query_without_page,
    run_step,
    submit_form,
)
from kepu.emergency import choices as c
from kepu.emergency.filters.rumors import RumorFilter
from kepu.emergency.forms.rumors import (
    DecideForm,
    RebuttalForm,
    RumorForm,
    SubmitRebuttalForm,
    TriageForm,
)
from kepu.emergency.models import Rebuttal, RebuttalReview, Rumor
from kepu.emergency.permissions import (
    get_incident_for_user,
    get_rebuttal_for_user,
    get_review_for_user,
    get_rumor_for_user,
)
from kepu.emergency.services import rumors as services
from kepu.emergency.services.review import duration_text, median_seconds

RUMOR = "emergency:rumor_detail"
REBUTTAL = "emergency:rebuttal_detail"
RUMOR_BADGES = {
    c.RumorStatus.NEW: "bg-yellow-lt",
    c.RumorStatus.NEEDS_REBUTTAL: "bg-orange-lt",
    c.RumorStatus.DUPLICATE: "bg-secondary-lt",
    c.RumorStatus.OUT_OF_SCOPE: "bg-secondary-lt",
    c.RumorStatus.REBUTTED: "bg-green-lt",
}
REBUTTAL_BADGES = {
    c.RebuttalStatus.DRAFT: "bg-secondary-lt",
    c.RebuttalStatus.IN_REVIEW: "bg-yellow-lt",
    c.RebuttalStatus.APPROVED: "bg-blue-lt",
    c.RebuttalStatus.PUBLISHED: "bg-green-lt",
    c.RebuttalStatus.WITHDRAWN: "bg-red-lt",
}


def duration_label(seconds) -> str:
    """The review report's wording of a time to publish, empty when unknown."""
    return "" if seconds is None else duration_text(seconds)


# --- leads ------------------------------------------------------------------------------


def _filtered(request, queryset=None):
    queryset = visible_to(
        request.user,
        queryset if queryset is not None else Rumor.objects.with_relations(),
        public=False,
    )
    filterset = RumorFilter(request.GET or None, queryset=queryset)
    filterset.form.fields["region"] = region_field(request.user, Rumor, "view", required=False)
    return filterset


@require_safe
@permission_required("emergency.rumor.view")
def rumor_list(request):
    filterset = _filtered(request)
    queryset = filterset.qs if filter_is_usable(filterset) else Rumor.objects.none()
    page = paginate(request, queryset.order_by("-reported_at", "-pk"))
    for rumor in page:
        rumor.badge = RUMOR_BADGES.get(rumor.status, "bg-blue-lt")
    user = request.user
    return render(
        request,
        "emergency/rumor_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "can_create": has_permission(user, "emergency.rumor.create"),
            "can_export": has_permission(user, "emergency.rumor.export"),
        },
    )


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _columns():
    return [
        Column("claim", _("What is being said"), width=50),
        Column("topic", _("Topic"), width=14),
        Column("incident", _("Incident"), width=24),
        Column("region", _("Region code")),
        Column("region_name", _("Where it circulates")),
        Column("source", _("Reported by"), width=14),
        Column("report_count", _("Reports")),
        Column("status", _("Status"), width=14),
        Column("reported_at", _("Reported at")),
        Column("triaged_at", _("Triaged at")),
    ]


def _values(r: Rumor) -> list:
    return [
        r.claim,
        r.get_topic_display(),
        r.incident.title if r.incident_id else _("Normal times"),
        r.region.code,
        r.region.name,
        r.get_source_display(),
        r.report_count,
        r.get_status_display(),
        _local(r.reported_at),
        _local(r.triaged_at),
    ]


@exports.builder(
    "emergency.rumor", permission="emergency.rumor.export", back="emergency:rumor_list"
)
def rumor_export_rows(request):
    filterset = _filtered(request, Rumor.objects.select_related("region", "incident"))
    if not filter_is_usable(filterset):
        return None
    queryset = visible_to(request.user, filterset.qs, "export", public=False)
    return exports.Rows(
        queryset=queryset.order_by("-reported_at", "-pk"),
        action="emergency.rumor.exported",
        title=_("Rumour leads"),
        columns=_columns(),
        to_values=_values,
        basename="rumours",
    )


@require_safe
@permission_required("emergency.rumor.export")
def rumor_export(request):
    return export_list(request, "emergency.rumor")


def _report_message(created_and_rumor):
    rumor, created = created_and_rumor
    if created:
        return _("Lead recorded. An officer will triage it.")
    return _(
        "This claim had already been reported; your report was merged into that lead "
        "(now reported %(n)s times)."
    ) % {"n": rumor.report_count}


@permission_required("emergency.rumor.create")
def rumor_create(request):
    """An officer reports a lead in their scope; an information officer (volunteer role)
    from the region of their own registration."""
    user = request.user
    officer = scope.allowed_regions(user, Rumor, "create").exists()
    own_region = None if officer else services.reporter_region(user)
    if not officer and own_region is None:
        raise PermissionDenied
    initial = {}
    incident_id = request.GET.get("incident", "")
    if incident_id.isdigit():
        initial["incident"] = incident_id
    form = RumorForm(request.POST or None, user=user, officer=officer, initial=initial)

    def run():
        data = form.cleaned_data
        return services.report_rumor(
            actor=user,
            incident=data["incident"],
            claim=data["claim"],
            topic=data["topic"],
            region=data["region"] if officer else own_region,
            source=c.RumorSource.OFFICER if officer else c.RumorSource.INFO_OFFICER,
            seen_on=data["seen_on"],
            link=data["link"],
        )

    can_view = has_permission(user, "emergency.rumor.view")
    done = submit_form(
        request,
        form,
        run,
        success=lambda result: (
            reverse(RUMOR, args=[result[0].pk]) if can_view else reverse("emergency:rumor_create")
        ),
        message=_report_message,
        fallback=reverse("emergency:rumor_list") if can_view else reverse("emergency:rumor_create"),
    )
    return done or form_page(
        request, "emergency/rumor_form.html", form, {"own_region": own_region, "officer": officer}
    )


def _rumor_context(request, rumor, **extra):
    user = request.user
    rebuttal = Rebuttal.objects.filter(rumor=rumor).first()
    context = {
        "rumor": rumor,
        "badge": RUMOR_BADGES.get(rumor.status, "bg-blue-lt"),
        "rebuttal": rebuttal,
        "rebuttal_badge": REBUTTAL_BADGES.get(rebuttal.status, "") if rebuttal else "",
        "can_triage": rumor.can_triage() and scope.can(user, rumor, "triage"),
        "can_draft": rumor.status == c.RumorStatus.NEEDS_REBUTTAL
        and rebuttal is None
        and scope.allowed_regions(user, Rebuttal, "create").filter(pk=rumor.region_id).exists(),
        "duplicate_of": rumor.duplicate_of,
    }
    if context["can_triage"] and "triage_form" not in extra:
        context["triage_form"] = TriageForm(rumor=rumor, user=user)
    context.update(extra)
    return context


@require_safe
@permission_required("emergency.rumor.view")
def rumor_detail(request, pk):
    rumor = get_rumor_for_user(request.user, pk)
    return render(request, "emergency/rumor_detail.html", _rumor_context(request, rumor))


@require_POST
@permission_required("emergency.rumor.triage")
def rumor_triage(request, pk):
    rumor = get_rumor_for_user(request.user, pk, "triage")
    form = TriageForm(request.POST, rumor=rumor, user=request.user)
    done = submit_form(
        request,
        form,
        lambda: services.triage_rumor(
            rumor,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            duplicate_of=form.cleaned_data["duplicate_of"],
            note=form.cleaned_data["note"],
        ),
        success=reverse(RUMOR, args=[pk]),
        message=_("Lead triaged."),
    )
    if done is not None:
        return done
    context = _rumor_context(request, rumor, triage_form=form)
    return render(request, "emergency/rumor_detail.html", context, status=400)


# --- rebuttals --------------------------------------------------------------------------


@permission_required("emergency.rebuttal.create")
def rebuttal_create(request, pk):
    rumor = get_rumor_for_user(request.user, pk)
    if not rumor.can_draft_rebuttal():
        messages.error(request, _("Only a lead triaged as needing a rebuttal gets one."))
        return redirect(RUMOR, pk=pk)
    form = RebuttalForm(request.POST or None, initial={"approvals_required": 1})
    done = submit_form(
        request,
        form,
        lambda: services.draft_rebuttal(rumor, actor=request.user, **form.cleaned_data),
        success=lambda rebuttal: reverse(REBUTTAL, args=[rebuttal.pk]),
        message=_("Rebuttal drafted. Send it to the experts for review when it is ready."),
        fallback=reverse(RUMOR, args=[pk]),
    )
    return done or form_page(
        request, "emergency/rebuttal_form.html", form, {"rumor": rumor, "rebuttal": None}
    )


@permission_required("emergency.rebuttal.change")
def rebuttal_update(request, pk):
    rebuttal = get_rebuttal_for_user(request.user, pk, "change")
    if not rebuttal.can_edit():
        messages.error(request, _("Only a draft rebuttal can be edited."))
        return redirect(REBUTTAL, pk=pk)
    form = RebuttalForm(request.POST or None, instance=rebuttal)
    done = submit_form(
        request,
        form,
        lambda: services.update_rebuttal(rebuttal, actor=request.user, **form.cleaned_data),
        success=reverse(REBUTTAL, args=[pk]),
        message=_("Changes saved."),
    )
    # The form validated onto the instance: show the stored title in the heading.
    stored = Rebuttal.objects.select_related("rumor").get(pk=pk)
    return done or form_page(
        request,
        "emergency/rebuttal_form.html",
        form,
        {"rumor": stored.rumor, "rebuttal": stored},
    )


def _rebuttal_context(request, rebuttal, **extra):
    user = request.user
    now = clock.now()
    reviews = list(
        RebuttalReview.objects.filter(rebuttal=rebuttal)
        .select_related("person")
        .order_by("-round", "due_at", "pk")
    )
    for review in reviews:
        review.overdue = review.decision == c.ReviewDecision.PENDING and review.due_at < now
    can_submit = rebuttal.can_submit() and scope.can(user, rebuttal, "submit")
    context = {
        "rebuttal": rebuttal,
        "rumor": rebuttal.rumor,
        "badge": REBUTTAL_BADGES.get(rebuttal.status, ""),
        "reviews": reviews,
        "time_to_publish": duration_label(rebuttal.seconds_to_publish),
        "can_edit": rebuttal.can_edit() and scope.can(user, rebuttal, "change"),
        "can_submit": can_submit,
        "can_publish": rebuttal.status in (c.RebuttalStatus.APPROVED, c.RebuttalStatus.IN_REVIEW)
        and scope.can(user, rebuttal, "publish"),
        "can_withdraw": rebuttal.can_withdraw() and scope.can(user, rebuttal, "withdraw"),
        "withdraw_form": ReasonForm(prefix="withdraw"),
    }
    if can_submit and "submit_form" not in extra:
        context["submit_form"] = SubmitRebuttalForm(eligible=services.eligible_reviewers(rebuttal))
    context.update(extra)
    return context


@require_safe
@permission_required("emergency.rebuttal.view")
def rebuttal_detail(request, pk):
    rebuttal = get_rebuttal_for_user(request.user, pk)
    return render(request, "emergency/rebuttal_detail.html", _rebuttal_context(request, rebuttal))


@require_POST
@permission_required("emergency.rebuttal.submit")
def rebuttal_submit(request, pk):
    rebuttal = get_rebuttal_for_user(request.user, pk, "submit")
    form = SubmitRebuttalForm(request.POST, eligible=services.eligible_reviewers(rebuttal))
    done = submit_form(
        request,
        form,
        lambda: services.submit_rebuttal(
            rebuttal, actor=request.user, reviewers=form.cleaned_data["reviewers"]
        ),
        success=reverse(REBUTTAL, args=[pk]),
        message=_("Sent to the experts. Each has %(hours)s hours to review it.")
        % {"hours": rebuttal.review_hours},
    )
    if done is not None:
        return done
    context = _rebuttal_context(request, rebuttal, submit_form=form)
    return render(request, "emergency/rebuttal_detail.html", context, status=400)


@require_POST
@permission_required("emergency.rebuttal.publish")
def rebuttal_publish(request, pk):
    rebuttal = get_rebuttal_for_user(request.user, pk, "publish")
    return run_step(
        request,
        lambda: services.publish_rebuttal(rebuttal, actor=request.user),
        back=reverse(REBUTTAL, args=[pk]),
        message=_("Published: the rebuttal is on the public pages and in the feeds."),
    )


@require_POST
@permission_required("emergency.rebuttal.withdraw")
def rebuttal_withdraw(request, pk):
    rebuttal = get_rebuttal_for_user(request.user, pk, "withdraw")
    form = ReasonForm(request.POST, prefix="withdraw")
    done = submit_form(
        request,
        form,
        lambda: services.withdraw_rebuttal(
            rebuttal, actor=request.user, reason=form.cleaned_data.get("reason", "")
        ),
        success=reverse(REBUTTAL, args=[pk]),
        message=_("Withdrawn: the rebuttal is no longer public."),
    )
    if done is not None:
        return done
    context = _rebuttal_context(request, rebuttal, withdraw_form=form)
    return render(request, "emergency/rebuttal_detail.html", context, status=400)


# --- the incident's tab -------------------------------------------------------------------


@require_safe
@permission_required("emergency.incident.view")
def incident_rumors(request, pk):
    """The incident's leads by status and its rebuttals with their time to publish."""
    incident = get_incident_for_user(request.user, pk)
    leads = Rumor.objects.filter(incident=incident)
    by_status = {
        row["status"]: row["n"] for row in leads.values("status").annotate(n=Count("pk")).order_by()
    }
    visible = visible_to(request.user, Rumor.objects.with_relations(), public=False)
    rebuttals = Rebuttal.objects.filter(incident=incident).select_related("rumor")
    published = rebuttals.filter(status=c.RebuttalStatus.PUBLISHED)
    median = median_seconds(published)
    rebuttal_rows = list(rebuttals.order_by("-created_at", "-pk")[:50])
    for rebuttal in rebuttal_rows:
        rebuttal.badge = REBUTTAL_BADGES.get(rebuttal.status, "")
        rebuttal.time_label = duration_label(rebuttal.seconds_to_publish)
    page = paginate(request, visible.filter(incident=incident).order_by("-reported_at", "-pk"))
    for rumor in page:
        rumor.badge = RUMOR_BADGES.get(rumor.status, "bg-blue-lt")
    return render(
        request,
        "emergency/incident_rumors.html",
        {
            "incident": incident,
            "statuses": [(v, label, by_status.get(v, 0)) for v, label in c.RumorStatus.choices],
            "page": page,
            "query": query_without_page(request),
            "rebuttals": rebuttal_rows,
            "published_count": published.count(),
            "median": duration_label(median),
            "can_report": incident.is_open
            and has_permission(request.user, "emergency.rumor.create"),
        },
    )


# --- the expert's reviews -------------------------------------------------------------------


def _my_reviews(user):
    return scope.actionable(
        user, RebuttalReview.objects.select_related("rebuttal", "rebuttal__rumor"), "decide"
    ).filter(decision=c.ReviewDecision.PENDING, rebuttal__status=c.RebuttalStatus.IN_REVIEW)


@require_safe
@permission_required("emergency.rebuttalreview.view")
def review_list(request):
    """The reviews waiting for the signed-in expert, the most urgent first (an officer,
    who decides none, sees an empty list)."""
    now = clock.now()
    page = paginate(request, _my_reviews(request.user).order_by("due_at", "pk"))
    for review in page:
        review.overdue = review.due_at < now
    return render(
        request,
        "emergency/review_list.html",
        {"page": page, "query": query_without_page(request)},
    )


@permission_required("emergency.rebuttalreview.decide")
def review_decide(request, pk):
    """The expert reads the rebuttal and the claim, then approves or requests changes
    (phone-first: one column, big buttons). Only the expert asked decides (403)."""
    review = get_review_for_user(request.user, pk, "decide")
    if scope.refusal(request.user, review, "decide"):
        raise PermissionDenied
    form = DecideForm(request.POST or None)
    approve = request.POST.get("decision") == "approve"
    done = submit_form(
        request,
        form,
        lambda: services.decide_review(
            review, actor=request.user, approve=approve, comment=form.cleaned_data["comment"]
        ),
        success=reverse("emergency:review_list"),
        message=_("Thank you: the rebuttal is approved on your part.")
        if approve
        else _("Sent back to the author with your comment."),
    )
    now = clock.now()
    return done or form_page(
        request,
        "emergency/review_decide.html",
        form,
        {
            "review": review,
            "rebuttal": review.rebuttal,
            "rumor": review.rebuttal.rumor,
            "overdue": review.decision == c.ReviewDecision.PENDING and review.due_at < now,
            "can_decide": review.can_decide(),
        },
    )


# --- the misinformation log (normal times, 004 (18)) ------------------------------------


@require_safe
@permission_required("emergency.rumor.view")
def rumor_trends(request):
    """Leads and rebuttals by topic × month for a period and a region, from the rollups
    (drills left out), with the top topics."""
    user = request.user
    period, period_errors = periods.parse_period(request.GET, default_kind=periods.YEAR)
    field = region_field(user, Rumor, "view", required=False)
    focus, region_error = None, ""
    code = request.GET.get("region", "")
    if code:
        try:
            focus = field.clean(code)
        except Exception:  # noqa: BLE001 - a region outside the scope shows nothing
            region_error = _("Choose a region within your scope.")
    if focus is None:
        roots = scope.scope_roots(user)
        focus = roots[0] if roots else None
    months = [p.first for p in periods.periods_between(period.first, period.last, "month")]
    table, totals = {}, {}
    if focus is not None and not region_error:
        for metric, column in (("emergency.rumors", 0), ("emergency.rebuttals", 1)):
            rows = (
                rollups.rows(metric, focus, period.start, period.end)
                .values("month", "key")
                .annotate(n=Sum("value"))
                .order_by()
            )
            for row in rows:
                cell = table.setdefault(row["key"], {}).setdefault(row["month"], [0, 0])
                cell[column] += row["n"]
                total = totals.setdefault(row["key"], [0, 0])
                total[column] += row["n"]
    labels = dict(c.TOPIC_CHOICES)
    topics = sorted(totals, key=lambda k: (-totals[k][0], -totals[k][1], k))
    grid = [
        {
            "topic": labels.get(key, key),
            "cells": [table[key].get(m, [0, 0]) for m in months],
            "total": totals[key],
        }
        for key in topics
    ]
    field.initial = focus.code if focus else ""
    return render(
        request,
        "emergency/rumor_trends.html",
        {
            "period": period,
            "choices": periods.picker(period),
            "errors": period_errors + ([region_error] if region_error else []),
            "region_widget": field.widget.render("region", code or (focus.code if focus else "")),
            "focus": focus,
            "months": months,
            "grid": grid,
            "top": grid[:3],
            "leads_total": sum(t[0] for t in totals.values()),
            "rebuttals_total": sum(t[1] for t in totals.values()),
        },
    )
