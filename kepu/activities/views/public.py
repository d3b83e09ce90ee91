"""The public calendar of published activities: list with filters, detail page with
schema.org Event markup, sign-up with a QR ticket, self-cancellation, iCalendar feed."""

import datetime
import json

import segno
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kepu.activities import ical, services
from kepu.activities.filters import CalendarFilter
from kepu.activities.forms import SignUpForm
from kepu.activities.models import Activity, Campaign, SignUp
from kepu.core import clock, ratelimit
from kepu.core.choices import KeyGroup, Topic
from kepu.core.models import Region
from kepu.core.pagination import paginate
from kepu.core.publiccache import public_page
from kepu.core.scope import visible_to
from kepu.core.views.common import (
    filter_is_usable,
    form_page,
    query_without_page,
    run_step,
    submit_form,
)
from kepu.core.widgets import RegionCascadeWidget

FEED_LIMIT = 500
PUBLIC_TAG = services.PUBLIC_TAG


def _published(request):
    return visible_to(request.user, Activity.objects.published()).select_related(
        "region", "organization", "campaign"
    )


def _calendar_filter(request):
    filterset = CalendarFilter(request.GET or None, queryset=_published(request))
    filterset.form.fields["region"].widget = RegionCascadeWidget(
        roots=list(Region.objects.roots()), empty_label=_("All")
    )
    year = timezone.localdate().year
    filterset.form.fields["campaign"].queryset = Campaign.objects.filter(year__gte=year - 1)
    return filterset


@require_safe
@public_page(PUBLIC_TAG)
def calendar(request):
    """The calendar; anonymous visitors get it from the shared cache (the services bump
    PUBLIC_TAG when something on it changes; the places left may lag by up to a minute)."""
    filterset = _calendar_filter(request)
    queryset = filterset.qs if filter_is_usable(filterset) else Activity.objects.none()
    if not request.GET.get("date_from") and not request.GET.get("date_to"):
        queryset = queryset.upcoming()
    queryset = queryset.prefetch_related("tags").order_by("starts_at", "pk")
    page = paginate(request, queryset, 20)
    _mark_phases(page)
    return render(
        request,
        "activities/public/calendar.html",
        {
            "filter": filterset,
            "page": page,
            "query": query_without_page(request),
            "groups": KeyGroup.choices,
            "topics": Topic.choices,
            "feed_url": reverse("activities:feed")
            + (f"?{query_without_page(request)}" if query_without_page(request) else ""),
        },
    )


def _mark_phases(rows) -> None:
    """Where each activity of the page stands now (`phase`: ongoing, upcoming or past)
    and whether it runs over several days: a multi-day event that has started is listed
    as running, with its whole span, not by a start date that looks past."""
    now = clock.now()
    for a in rows:
        if a.ends_at < now:
            a.phase = "past"
        elif a.starts_at <= now:
            a.phase = "ongoing"
        else:
            a.phase = "upcoming"
        a.multi_day = timezone.localdate(a.starts_at) != timezone.localdate(a.ends_at)


def _event_json_ld(request, a) -> str:
    """schema.org Event (https://schema.org/Event) for search engines and mini-programs."""
    online = bool(a.online_url)
    place = {
        "@type": "Place",
        "name": a.address or a.region.name,
        "address": {
            "@type": "PostalAddress",
            "addressRegion": a.region.name,
            "streetAddress": a.address,
            "addressCountry": "CN",
        },
    }
    if a.latitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(a.latitude),
            "longitude": float(a.longitude),
        }
    location = [place] + ([{"@type": "VirtualLocation", "url": a.online_url}] if online else [])
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": a.title,
        "startDate": timezone.localtime(a.starts_at).isoformat(),
        "endDate": timezone.localtime(a.ends_at).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode"
        if online and a.address
        else "https://schema.org/OnlineEventAttendanceMode"
        if online
        else "https://schema.org/OfflineEventAttendanceMode",
        "location": location if len(location) > 1 else location[0],
        "organizer": {"@type": "Organization", "name": a.organization.name},
        "description": a.description[:500],
        "url": request.build_absolute_uri(reverse("activities:event", args=[a.pk])),
        "isAccessibleForFree": True,
    }
    if a.capacity:
        data["maximumAttendeeCapacity"] = a.capacity
        data["remainingAttendeeCapacity"] = a.places_left
    # Escape "<" so that no text can close the script element.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def _get_published(request, pk):
    published = _published(request)
    if request.method != "POST":  # a sign-up shows the tags only when its form is refused
        published = published.prefetch_related("tags")
    activity = published.filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


@never_cache
def event(request, pk):
    activity = _get_published(request, pk)
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        if not activity.takes_signups:
            messages.error(request, _("This activity is not taking sign-ups."))
            return redirect("activities:event", pk=pk)
        if not ratelimit.allow(request, "signup", limit=30, per_seconds=3600):
            return render(request, "core/errors/429.html", status=429)
        outcome = {}

        def sign_up():
            data = form.cleaned_data
            outcome["signup"], outcome["created"] = services.sign_up(
                activity,
                name=data["name"],
                phone=data["phone"],
                key_group=data["key_group"],
                notice=form.notice,
            )
            return outcome["signup"]

        response = submit_form(
            request,
            form,
            sign_up,
            success=lambda signup: _after_sign_up(signup, outcome["created"]),
        )
        if response is not None:
            if outcome.get("created") is False:
                messages.info(request, ALREADY_SIGNED_UP)
            return response
    return form_page(
        request,
        "activities/public/event.html",
        form,
        {
            "activity": activity,
            "notice": form.notice,
            "json_ld": _event_json_ld(request, activity),
        },
    )


# The answer to a phone number that already holds a place. It says nothing about that
# sign-up (name, ticket, status) and hands over neither its ticket nor its cancellation:
# whoever typed the number may not be the person who signed up. The person reaches the
# ticket only through the private link shown at the first submission (the platform sends
# no SMS); a repeated submission of the same form is sent to that link by `submit_form`.
ALREADY_SIGNED_UP = gettext_lazy(
    "This phone number cannot be signed up again for this activity. If you signed up "
    "before, open your ticket with the private link you received then; for everyone's "
    "privacy it is not shown here again."
)


def _after_sign_up(signup, created: bool) -> str:
    if created:
        return reverse("activities:ticket", kwargs={"token": signup.token})
    return reverse("activities:event", args=[signup.activity_id])


def _ticket(token):
    signup = (
        SignUp.objects.select_related("activity", "activity__region", "activity__organization")
        .filter(token=token)
        .first()
    )
    if signup is None:
        raise Http404
    return signup


@never_cache
@require_safe
def ticket(request, token):
    signup = _ticket(token)
    qr = segno.make(signup.ticket_code, error="m").svg_inline(
        scale=8, border=2, dark="#1d273b", omitsize=True
    )
    return render(
        request,
        "activities/public/ticket.html",
        {"signup": signup, "activity": signup.activity, "qr": qr},
    )


@require_POST
def ticket_cancel(request, token):
    signup = _ticket(token)
    return run_step(
        request,
        lambda: services.cancel_signup(signup),
        back=reverse("activities:ticket", kwargs={"token": token}),
        message=_("Your sign-up has been cancelled. Your place goes to the next person waiting."),
    )


@require_safe
@public_page(PUBLIC_TAG)
def feed(request):
    """iCalendar of the published activities matching the calendar's filters, from
    30 days ago on (at most 500 events)."""
    filterset = _calendar_filter(request)
    if not filter_is_usable(filterset):
        raise Http404
    since = timezone.now() - datetime.timedelta(days=30)
    activities = filterset.qs.filter(ends_at__gte=since).order_by("starts_at", "pk")[:FEED_LIMIT]
    body = ical.calendar(
        activities,
        name=_("Science popularization activities"),
        url_for=lambda a: request.build_absolute_uri(reverse("activities:event", args=[a.pk])),
        host=request.get_host().split(":")[0] or "kepu",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kepu-activities.ics"'
    response["Cache-Control"] = "public, max-age=300"
    return response
