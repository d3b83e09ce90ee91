"""The public notice pages: the list of published notices (filter by region, category and
words) and each notice's page. Nothing unpublished is ever shown here."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from kepu.core.models import Region
from kepu.core.pagination import paginate
from kepu.core.publiccache import public_page
from kepu.core.views.common import filter_is_usable, query_without_page
from kepu.core.widgets import RegionCascadeWidget
from kepu.portal.filters import PublicNoticeFilter
from kepu.portal.models import Notice
from kepu.portal.permissions import get_public_notice
from kepu.portal.services import PUBLIC_TAG
from kepu.portal.views.home import _roots

PAGE_SIZE = 20


@require_safe
@public_page(PUBLIC_TAG)
def public_notice_list(request):
    filterset = PublicNoticeFilter(
        request.GET or None, queryset=Notice.objects.published().select_related("region")
    )
    filterset.form.fields["region"].widget = RegionCascadeWidget(roots=_roots(), empty_label="")
    queryset = filterset.qs if filter_is_usable(filterset) else Notice.objects.none()
    return render(
        request,
        "portal/public/notice_list.html",
        {
            "filter": filterset,
            "page": paginate(request, queryset.newest_first(), PAGE_SIZE),
            "query": query_without_page(request),
        },
    )


@require_safe
def public_notice_detail(request, pk):
    # Whether it is published is asked outside the cache (one indexed query): a withdrawn
    # notice is gone at once, and a background refresh never meets a 404.
    get_public_notice(pk)
    return _detail_page(request, pk)


@public_page(PUBLIC_TAG)
def _detail_page(request, pk):
    notice = get_public_notice(pk)
    region = Region.objects.filter(pk=notice.region_id).first()
    return render(
        request,
        "portal/public/notice_detail.html",
        {"notice": notice, "region": region, "paragraphs": notice.paragraphs()},
    )
