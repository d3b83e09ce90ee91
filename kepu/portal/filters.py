"""The FilterSets of the notice lists: the back office's and the public one."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kepu.core.filters import RegionSubtreeFilter
from kepu.portal.choices import NoticeCategory, NoticeStatus
from kepu.portal.models import Notice


class PublicNoticeFilter(django_filters.FilterSet):
    """What the public may filter published notices on."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    region = RegionSubtreeFilter()
    category = django_filters.ChoiceFilter(choices=NoticeCategory.choices, label=_("Category"))

    class Meta:
        model = Notice
        fields = ["q", "region", "category"]

    def filter_q(self, qs, name, value):
        return qs.search(value)


class NoticeFilter(PublicNoticeFilter):
    """The back office adds the workflow's status."""

    status = django_filters.ChoiceFilter(choices=NoticeStatus.choices, label=_("Status"))

    class Meta(PublicNoticeFilter.Meta):
        fields = [*PublicNoticeFilter.Meta.fields, "status"]
