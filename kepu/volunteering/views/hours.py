"""The volunteers' hour ledger and service record certificates (志愿服务记录证明): the
ledger with its filters, export, manual entries and approval; a volunteer's ledger page
with totals and star level; certificate issue, the certificate PDF and its public check."""

import decimal

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kepu.core import audit, clock, exports, periods, ratelimit, scope
from kepu.core.errors import DomainError
from kepu.core.pagination import count_label
from kepu.core.pdf import pdf_response
from kepu.core.scope import has_permission, scope_roots, visible_to
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
from kepu.core.views.jobs import job_page
from kepu.people.models import Person, Team
from kepu.volunteering import certificates, figures, services
from kepu.volunteering import choices as c
from kepu.volunteering.certificates import hours_text
from kepu.volunteering.filters import HourFilter
from kepu.volunteering.forms import (
    CertificateForm,
    CertificatePeriodForm,
    DecideForm,
    HourEntryForm,
    VerifyForm,
    hour_teams,
)
from kepu.volunteering.io import hour_columns, hour_values
from kepu.volunteering.models import Certificate, HourEntry
from kepu.volunteering.permissions import (
    get_certificate_for_user,
    get_entry_for_user,
    get_person_for_user,
    teams_for_user,
)

# Public certificate checks per client address and hour: plenty for an employer or a
# school checking a pile of certificates, far too few to guess numbers (32^10 of them).
VERIFY_LIMIT = 60
VERIFY_WINDOW_SECONDS = 3600
ZERO = decimal.Decimal("0")
TEAMS_LISTED = 100  # more teams than this: the team filter is a search as you type


def _entries(user, action="view"):
    return visible_to(
        user,
        HourEntry.objects.select_related(
            "person", "team", "region", "order", "created_by", "decided_by"
        ),
        action,
        public=False,
    )


def _filtered(request, queryset):
    return HourFilter(request.GET or None, queryset=queryset, request=request)


def _back(request, default: str) -> str:
    """Where a form posted from a list goes back to (a local address only)."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- the ledger ---------------------------------------------------------------------------


@require_safe
@permission_required("volunteering.hourentry.view")
def hour_list(request):
    user = request.user
    filterset = _filtered(request, _entries(user))
    queryset = filterset.qs if filter_is_usable(filterset) else HourEntry.objects.none()
    totals = figures.hour_totals(user, request.GET, queryset)
    approved, pending = totals["approved"], totals["pending"]
    approved["text"] = hours_text(approved["hours"])
    pending["text"] = hours_text(pending["hours"])
    page = paginate(request, queryset.order_by("-started_at", "-pk"))
    _mark_decidable(user, page)
    linkable = set(
        visible_to(user, Person)
        .filter(pk__in={e.person_id for e in page})
        .values_list("pk", flat=True)
    )
    awaiting_me, capped = (
        figures.awaiting_approval(user)
        if has_permission(user, "volunteering.hourentry.approve")
        else (0, False)
    )
    return render(
        request,
        "volunteering/hour_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "approved": approved,
            "pending": pending,
            "awaiting_me": awaiting_me,
            "awaiting_label": count_label(awaiting_me, capped),
            "linkable": linkable,
            "mine": request.GET.get("mine") == "true",
            **_team_filter(user, filterset),
            "statuses": c.HourStatus.choices,
            "sources": c.HourSource.choices,
            "can_create": has_permission(user, "volunteering.hourentry.create"),
            "can_export": has_permission(user, "volunteering.hourentry.export"),
            "certificate_team": _certificate_team(user, filterset),
            "here": request.get_full_path(),
        },
    )


def _certificate_team(user, filterset):
    """The team chosen in the filter when the user may certify its volunteers in a batch
    (one query, only when a team is chosen)."""
    chosen = filterset.form.cleaned_data.get("team") if filterset.form.is_valid() else None
    return certificates.batch_teams(user).filter(pk=chosen).first() if chosen else None


def _mark_decidable(user, page) -> None:
    """entry.can_decide for the entries of a page: pending, in the approval scope, not
    refused by an object rule (asked only when the page shows pending entries)."""
    pending = [e.pk for e in page if e.status == c.HourStatus.PENDING]
    approvable = (
        set(
            scope.actionable(user, HourEntry, "approve")
            .filter(pk__in=pending)
            .values_list("pk", flat=True)
        )
        if pending
        else set()
    )
    for entry in page:
        entry.can_decide = entry.pk in approvable


def _team_filter(user, filterset) -> dict:
    """The team filter: a list to choose from when the user has a few teams; a search
    as you type (`team_search`) when they have many (a province has thousands)."""
    # A region with many teams under the user's scope needs no exact answer (a path
    # range that stops at TEAMS_LISTED + 1, instead of the scope's long id list).
    many = any(
        Team.objects.filter(region__path__startswith=root.path)
        .order_by()[: TEAMS_LISTED + 1]
        .count()
        > TEAMS_LISTED
        for root in scope_roots(user)[:3]
    )
    if not many and hour_teams(user).order_by()[: TEAMS_LISTED + 1].count() <= TEAMS_LISTED:
        return {"teams": list(hour_teams(user))}
    chosen = filterset.form.cleaned_data.get("team") if filterset.form.is_valid() else None
    return {
        "teams": None,
        "chosen_team": hour_teams(user).filter(pk=chosen).first() if chosen else None,
    }


@require_safe
@permission_required("volunteering.hourentry.view")
def team_search(request):
    """Teams of the ledger's team filter whose name contains `q` (search as you type)."""
    q = request.GET.get("q", "").strip()[:50]
    teams = hour_teams(request.user).filter(name__icontains=q) if q else Team.objects.none()
    # In name order (the name index), not the scope's region order: no join, no sort.
    rows = teams.order_by("name", "pk").values_list("pk", "name")[:20]
    return JsonResponse({"results": [{"id": pk, "name": name} for pk, name in rows]})


@exports.builder(
    "volunteering.hourentry",
    permission="volunteering.hourentry.export",
    back="volunteering:hour_list",
)
def hour_export_rows(request):
    filterset = _filtered(request, _entries(request.user, "export"))
    if not filter_is_usable(filterset):
        return None
    return exports.Rows(
        queryset=filterset.qs.order_by("started_at", "pk"),
        action="volunteering.hourentry.exported",
        title=_("Service hours"),
        columns=hour_columns(),
        to_values=hour_values,
        basename="service-hours",
    )


@require_safe
@permission_required("volunteering.hourentry.export")
def hour_export(request):
    return export_list(request, "volunteering.hourentry")


@permission_required("volunteering.hourentry.create")
def hour_create(request):
    user = request.user
    teams = hour_teams(user)
    team = None
    if request.GET.get("team"):
        team = (
            teams.filter(pk=request.GET["team"]).first() if request.GET["team"].isdigit() else None
        )
    elif len(teams) == 1:
        team = teams[0]
    form = HourEntryForm(request.POST or None, user=user, team=team)
    if not form.is_bound:
        form.initial["team"] = team.pk if team else None
        person = request.GET.get("person", "")
        if person.isdigit() and form.fields["volunteer"].queryset.filter(pk=person).exists():
            form.initial["volunteer"] = int(person)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    response = submit_form(
        request,
        form,
        lambda: services.add_manual_entry(
            actor=user,
            person=data["volunteer"],
            team=data["team"],
            started_at=data["started_at"],
            ended_at=data["ended_at"],
            description=data["description"],
        ),
        success=lambda entry: f"{reverse('volunteering:hour_list')}?team={entry.team_id}",
        fallback=reverse("volunteering:hour_list"),
        message=lambda entry: (
            _(
                "%(hours)s hours of %(name)s recorded. They count once the team leader "
                "or an officer approves them."
            )
            % {"hours": entry.hours, "name": entry.person.name}
        ),
    )
    if response is not None:
        return response
    return form_page(
        request, "volunteering/hour_form.html", form, {"teams": teams, "team": form.team}
    )


DECISION_MESSAGES = {
    "approve": lambda e: (
        _("Approved: %(hours)s hours of %(name)s now count.")
        % {"hours": e.hours, "name": e.person.name}
    ),
    "reject": lambda e: (
        _("Rejected: %(hours)s hours of %(name)s.") % {"hours": e.hours, "name": e.person.name}
    ),
}


@require_POST
@permission_required("volunteering.hourentry.approve")
def hour_decide(request, pk):
    entry = get_entry_for_user(request.user, pk, "approve")
    back = _back(request, reverse("volunteering:hour_list"))
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or reject the entry."))
        return redirect(back)
    decision = form.cleaned_data["decision"]
    return run_step(
        request,
        lambda: services.decide_entry(
            entry,
            actor=request.user,
            approve=decision == "approve",
            reason=form.cleaned_data["reason"],
        ),
        back=back,
        message=DECISION_MESSAGES[decision],
    )


# --- a volunteer's ledger and certificates --------------------------------------------------


def _totals(person) -> dict:
    """Approved hours this month, quarter, year and in all; pending hours; star level."""
    today = clock.today()
    month, quarter, year = (
        periods.period_containing(today, kind).start
        for kind in (periods.MONTH, periods.QUARTER, periods.YEAR)
    )
    approved = HourEntry.objects.approved().filter(person=person)
    totals = approved.aggregate(
        month=Sum("hours", filter=Q(started_at__gte=month)),
        quarter=Sum("hours", filter=Q(started_at__gte=quarter)),
        year=Sum("hours", filter=Q(started_at__gte=year)),
        all=Sum("hours"),
        services=Count("pk"),
    )
    for key in ("month", "quarter", "year", "all"):
        totals[key] = totals[key] or ZERO
    pending = HourEntry.objects.filter(person=person, status=c.HourStatus.PENDING).aggregate(
        hours=Sum("hours"), entries=Count("pk")
    )
    totals["pending"] = pending["hours"] or ZERO
    totals["pending_entries"] = pending["entries"]
    stars = services.star_level(totals["all"])
    totals["stars"] = stars
    totals["star_slots"] = [i < stars for i in range(len(c.STAR_THRESHOLDS))]
    following = next((t for t in c.STAR_THRESHOLDS if totals["all"] < t), None)
    totals["next_star"] = following
    totals["to_next_star"] = (following - totals["all"]) if following else None
    totals["text"] = {
        key: hours_text(totals[key])
        for key in ("month", "quarter", "year", "all", "pending", "to_next_star")
    }
    return totals


def _certificate_teams(user, person):
    """Teams in whose name the user may certify the person's approved hours: the teams
    they act for, or (for a volunteer's own record) any team they served with."""
    served = Team.objects.filter(
        hour_entries__person=person, hour_entries__status=c.HourStatus.APPROVED
    )
    teams = Team.objects.filter(pk__in=served.values("pk"))
    if person.user_id is None or person.user_id != user.pk:
        teams = teams.filter(pk__in=teams_for_user(user).values("pk"))
    return teams.select_related("organization").order_by("name")


def _certificate_form(user, person, data=None):
    if not has_permission(user, "volunteering.certificate.issue") or person.is_erased:
        return None
    teams = list(_certificate_teams(user, person))
    if not teams:
        return None
    first = (
        HourEntry.objects.approved()
        .filter(person=person, team__in=teams)
        .order_by("started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    form = CertificateForm(data, teams=Team.objects.filter(pk__in=[t.pk for t in teams]))
    if data is None:
        form.initial.update(
            period_start=timezone.localtime(first).date() if first else None,
            period_end=timezone.localdate(),
        )
    return form


def _person_context(request, person, **extra):
    user = request.user
    entries = _entries(user).filter(person=person)
    all_entries = HourEntry.objects.filter(person=person).count()
    page = paginate(request, entries.order_by("-started_at", "-pk"))
    _mark_decidable(user, page)
    issued = visible_to(
        user, Certificate.objects.select_related("team", "issued_by"), public=False
    ).filter(person=person)
    context = {
        "person": person,
        "totals": _totals(person),
        "page": page,
        "query": query_without_page(request),
        "hidden_entries": max(all_entries - entries.count(), 0),
        "certificates": issued,
        "revocable": set(
            visible_to(user, Certificate, "revoke", public=False)
            .filter(person=person, revoked_at__isnull=True)
            .values_list("pk", flat=True)
        ),
        "certificate_form": _certificate_form(user, person),
        "can_create": has_permission(user, "volunteering.hourentry.create")
        and not person.is_erased,
        "thresholds": c.STAR_THRESHOLDS,
        "here": request.get_full_path(),
    }
    context.update(extra)
    return context


@require_safe
@permission_required("volunteering.hourentry.view")
def person_hours(request, pk):
    person = get_person_for_user(request.user, pk)
    return render(request, "volunteering/person_hours.html", _person_context(request, person))


@require_POST
@permission_required("volunteering.certificate.issue")
def certificate_issue(request, pk):
    user = request.user
    person = get_person_for_user(user, pk)
    url = reverse("volunteering:person_hours", args=[person.pk])
    form = _certificate_form(user, person, request.POST)
    if form is None:
        messages.error(
            request, _("There are no approved hours you may certify for this volunteer.")
        )
        return redirect(url)
    data = form.cleaned_data if form.is_valid() else {}
    response = submit_form(
        request,
        form,
        lambda: services.issue_certificate(
            actor=user,
            person=person,
            team=data["team"],
            period_start=data["period_start"],
            period_end=data["period_end"],
        ),
        success=url,
        message=lambda certificate: (
            _("Certificate %(number)s issued: %(hours)s hours, %(n)s services.")
            % {
                "number": certificate.number,
                "hours": certificate.total_hours,
                "n": certificate.entries,
            }
        ),
    )
    if response is not None:
        return response
    context = _person_context(request, person, certificate_form=form)
    return render(request, "volunteering/person_hours.html", context, status=400)


# --- a team's certificates in one batch ------------------------------------------------


def _batch_period(request):
    """The batch form: the posted period, else the one asked for in the query (the hour
    list's dates), else this year up to today."""
    if request.method == "POST":
        return CertificatePeriodForm(request.POST)
    if request.GET.get("period_start") or request.GET.get("period_end"):
        return CertificatePeriodForm(request.GET)
    today = timezone.localdate()
    first = today.replace(month=1, day=1)
    return CertificatePeriodForm(initial={"period_start": first, "period_end": today})


@permission_required("volunteering.certificate.issue")
def certificate_batch(request, pk):
    """The certificates of every volunteer of a team for one period (issued, or the ones
    already issued for exactly those hours), one PDF each in a ZIP made by a job."""
    user = request.user
    teams = certificates.batch_teams(user).select_related("organization", "region")
    team = teams.filter(pk=pk).first()
    if team is None:
        raise Http404
    form = _batch_period(request)
    if not form.is_bound:
        period = (form.initial["period_start"], form.initial["period_end"])
    elif form.is_valid():
        period = (form.cleaned_data["period_start"], form.cleaned_data["period_end"])
    else:
        period = None
    people = certificates.batch_people(user, team, *period) if period else None

    def start():
        if not people.exists():
            raise DomainError(_("No volunteer has approved hours with this team in the period."))
        return certificates.start_batch(user, team, *period, base=request.build_absolute_uri("/"))

    done = submit_form(request, form, start, success=job_page)
    return done or form_page(
        request,
        "volunteering/certificate_batch.html",
        form,
        {"team": team, "period": period, "count": people.count() if people is not None else None},
    )


# --- the certificate PDF ------------------------------------------------------------------


def verify_url(request, number: str) -> str:
    return request.build_absolute_uri(reverse("volunteering:verify_number", args=[number]))


@never_cache
@require_safe
@permission_required("volunteering.certificate.view")
def certificate_pdf(request, pk):
    certificate = get_certificate_for_user(request.user, pk)
    content = certificates.render(
        certificate,
        url=verify_url(request, certificate.number),
        page=request.build_absolute_uri(reverse("volunteering:verify")),
    )
    audit.record(
        "volunteering.certificate.downloaded",
        obj=certificate,
        detail={"number": certificate.number},
    )
    return pdf_response(content, certificates.pdf_name(certificate))


# --- the public check ---------------------------------------------------------------------


def mask_name(name: str) -> str:
    """刘洋 → 刘*, 欧阳娜娜 → 欧***: the family name stays, the rest is hidden."""
    name = (name or "").strip()
    if not name:
        return "*"
    return name[0] + "*" * max(len(name) - 1, 1)


def _public(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_safe
def verify(request):
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("volunteering:verify_number", number=form.cleaned_data["number"])
    return _public(render(request, "volunteering/public/verify.html", {"form": form}))


@never_cache
@require_safe
def verify_number(request, number):
    if not ratelimit.allow(
        request, "certificate-verify", limit=VERIFY_LIMIT, per_seconds=VERIFY_WINDOW_SECONDS
    ):
        return render(request, "core/errors/429.html", status=429)
    form = VerifyForm({"number": number})
    certificate = None
    if form.is_valid():
        certificate = (
            Certificate.objects.select_related("team", "team__organization")
            .filter(number=form.cleaned_data["number"], revoked_at__isnull=True)
            .first()
        )
    context = {
        "number": number[:40],
        "certificate": certificate,
        "holder": mask_name(certificate.holder_name) if certificate else "",
        "hours": hours_text(certificate.total_hours) if certificate else "",
        # A mistyped number stays in the field to be corrected.
        "form": VerifyForm(initial={"number": "" if certificate else number[:40]}),
    }
    response = render(
        request,
        "volunteering/public/verify_result.html",
        context,
        status=200 if certificate else 404,
    )
    return _public(response)


@require_POST
@permission_required("volunteering.certificate.revoke")
def certificate_revoke(request, pk):
    certificate = get_certificate_for_user(request.user, pk, "revoke")
    url = reverse("volunteering:person_hours", args=[certificate.person_id]) + "#certificates"
    return run_step(
        request,
        lambda: services.revoke_certificate(
            certificate, actor=request.user, reason=request.POST.get("reason", "")
        ),
        back=url,
        message=_("Certificate %(number)s revoked; the public check no longer confirms it.")
        % {"number": certificate.number},
    )
