"""Public rumour pages: the report form (phone-first, no personal identifiers), the
rebuttal library (searchable in Chinese) with each rebuttal's page, and the feeds for
media (JSON Feed 1.1 and RSS 2.0). Only published rebuttals of real incidents and of
normal times are ever shown (no drill, no draft)."""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kepu.core import ratelimit
from kepu.core.pagination import paginate
from kepu.core.publiccache import public_page
from kepu.core.views.common import filter_is_usable, form_page, query_without_page, submit_form
from kepu.emergency import choices as c
from kepu.emergency.filters.rumors import PublicRebuttalFilter
from kepu.emergency.forms.rumors import PublicRumorForm
from kepu.emergency.models import Incident, Rebuttal
from kepu.emergency.permissions import get_public_rebuttal
from kepu.emergency.services import rumors as services

PAGE_SIZE = 20
FEED_SIZE = 50
# Reports per address and hour: enough for a community worker passing on several
# messages, not for a script.
REPORT_LIMIT = 20


def _roots():
    from kepu.portal.views.home import _roots as portal_roots

    return portal_roots()


def _report_incident(request):
    """The open incident named by `?incident=` (None: normal times); 404 otherwise."""
    raw = request.GET.get("incident", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise Http404
    incident = Incident.objects.select_related("region").filter(pk=int(raw)).first()
    if incident is None:
        raise Http404
    return incident


@never_cache
def public_rumor_report(request):
    incident = _report_incident(request)
    form = PublicRumorForm(request.POST or None, roots=_roots())
    if request.method == "POST" and not ratelimit.allow(
        request, "rumor-report", limit=REPORT_LIMIT, per_seconds=3600
    ):
        return render(request, "core/errors/429.html", status=429)
    back = request.get_full_path()

    def run():
        data = form.cleaned_data
        return services.report_rumor(
            actor=None,
            incident=incident,
            claim=data["claim"],
            topic=data["topic"],
            region=data["region"],
            source=c.RumorSource.PUBLIC,
            seen_on=data["seen_on"],
            link=data["link"],
        )

    def said(result):
        _rumor, created = result
        if created:
            return _(
                "Thank you. Your report has been received; the experts' answer will appear "
                "in the rebuttal library."
            )
        return _(
            "Thank you. This has already been reported: your report was merged into it, "
            "and it is being looked at."
        )

    done = submit_form(request, form, run, success=back, message=said)
    if done is not None:
        return done
    return form_page(request, "emergency/public/rumor_report.html", form, {"incident": incident})


@require_safe
@public_page(c.PUBLIC_TAG)
def public_rebuttal_list(request):
    filterset = PublicRebuttalFilter(
        request.GET or None, queryset=Rebuttal.objects.public().select_related("rumor", "incident")
    )
    queryset = filterset.qs if filter_is_usable(filterset) else Rebuttal.objects.none()
    return render(
        request,
        "emergency/public/rebuttal_list.html",
        {
            "filter": filterset,
            "page": paginate(request, queryset.newest_first(), PAGE_SIZE),
            "query": query_without_page(request),
        },
    )


@require_safe
def public_rebuttal_detail(request, pk):
    # Whether it is public is asked outside the cache: a withdrawn rebuttal is gone at once.
    get_public_rebuttal(pk)
    return _detail_page(request, pk)


@public_page(c.PUBLIC_TAG)
def _detail_page(request, pk):
    rebuttal = get_public_rebuttal(pk)
    paragraphs = [p.strip() for p in rebuttal.body.split("\n") if p.strip()]
    return render(
        request,
        "emergency/public/rebuttal_detail.html",
        {"rebuttal": rebuttal, "rumor": rebuttal.rumor, "paragraphs": paragraphs},
    )


def _feed_rows(request):
    filterset = PublicRebuttalFilter(
        {"incident": request.GET["incident"]} if request.GET.get("incident") else None,
        queryset=Rebuttal.objects.public().select_related("rumor", "incident"),
    )
    if not filter_is_usable(filterset):
        raise Http404
    return list(filterset.qs.newest_first()[:FEED_SIZE])


def _feed_title(request):
    return _("Science rebuttals of rumours")


@require_safe
@public_page(c.PUBLIC_TAG)
def rebuttal_feed_json(request):
    """JSON Feed 1.1: the newest published rebuttals (optionally of one incident)."""
    items = []
    for rebuttal in _feed_rows(request):
        url = request.build_absolute_uri(
            reverse("emergency:public_rebuttal_detail", args=[rebuttal.pk])
        )
        items.append(
            {
                "id": url,
                "url": url,
                "title": rebuttal.title,
                "content_text": rebuttal.body,
                "summary": rebuttal.rumor.claim,
                "date_published": rebuttal.published_at.isoformat(),
                "tags": [rebuttal.rumor.get_topic_display()],
                "_kepu": {
                    "incident": rebuttal.incident_id,
                    "topic": rebuttal.rumor.topic,
                    "seconds_to_publish": rebuttal.seconds_to_publish,
                },
            }
        )
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": _feed_title(request),
        "home_page_url": request.build_absolute_uri(reverse("emergency:public_rebuttal_list")),
        "feed_url": request.build_absolute_uri(),
        "language": request.LANGUAGE_CODE,
        "items": items,
    }
    return HttpResponse(
        json.dumps(feed, ensure_ascii=False), content_type="application/feed+json; charset=utf-8"
    )


@require_safe
@public_page(c.PUBLIC_TAG)
def rebuttal_feed_rss(request):
    """RSS 2.0: the same items as the JSON feed."""
    feed = Rss201rev2Feed(
        title=_feed_title(request),
        link=request.build_absolute_uri(reverse("emergency:public_rebuttal_list")),
        description=_("Rumours answered by experts, newest first."),
        language=request.LANGUAGE_CODE,
        feed_url=request.build_absolute_uri(),
    )
    for rebuttal in _feed_rows(request):
        url = request.build_absolute_uri(
            reverse("emergency:public_rebuttal_detail", args=[rebuttal.pk])
        )
        feed.add_item(
            title=rebuttal.title,
            link=url,
            unique_id=url,
            description=rebuttal.body,
            pubdate=rebuttal.published_at,
            categories=[rebuttal.rumor.get_topic_display()],
        )
    return HttpResponse(
        feed.writeString("utf-8"), content_type="application/rss+xml; charset=utf-8"
    )
