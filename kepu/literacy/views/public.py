"""Public pages of the results area (no login): the published rounds and indices, a
published round's report (the national release's shape) and a published index. The
same for everyone, so served from the shared cache."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kepu.core.publiccache import public_page
from kepu.literacy import choices as c
from kepu.literacy import reports
from kepu.literacy.models import IndexTree, SurveyRound
from kepu.literacy.services.estimation import PUBLIC_TAG
from kepu.literacy.services.index import PUBLIC_TAG as INDEX_TAG

PUBLIC_LIMIT = 50


def _public(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
@public_page(PUBLIC_TAG, INDEX_TAG)
def public_results(request):
    rounds = (
        SurveyRound.objects.with_relations()
        .filter(status__in=c.PUBLIC_ROUND_STATUSES)
        .order_by("-year", "-pk")[:PUBLIC_LIMIT]
    )
    indices = (
        IndexTree.objects.with_relations()
        .filter(published_at__isnull=False)
        .order_by("-year", "-pk")[:PUBLIC_LIMIT]
    )
    return _public(
        render(request, "literacy/public/results.html", {"rounds": rounds, "indices": indices})
    )


@require_safe
@public_page(PUBLIC_TAG)
def public_report(request, pk):
    rnd = (
        SurveyRound.objects.with_relations()
        .filter(pk=pk, status__in=c.PUBLIC_ROUND_STATUSES)
        .first()
    )
    if rnd is None:
        raise Http404
    from kepu.literacy.views.results import report_body

    run = reports.current_run(rnd, light=True)
    context = {"round": rnd, "run": run, "body": report_body(rnd, run), "public": True}
    return _public(render(request, "literacy/public/report.html", context))


@require_safe
@public_page(INDEX_TAG)
def public_index(request, pk):
    tree = IndexTree.objects.with_relations().filter(pk=pk, published_at__isnull=False).first()
    if tree is None:
        raise Http404
    return _public(
        render(request, "literacy/public/index.html", {"tree": tree, **reports.index_table(tree)})
    )
