"""The FilterSet of the deliveries: a push's list (page), the export and the inbox
endpoint take the same names."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kepu.core.filters import IdFilter, RegionSubtreeFilter
from kepu.emergency import choices as c
from kepu.emergency.models import Delivery

WAITING, ACKNOWLEDGED = "waiting", "acknowledged"
STATES = [(WAITING, _("Waiting")), (ACKNOWLEDGED, _("Acknowledged"))]


class DeliveryFilter(django_filters.FilterSet):
    push = IdFilter(field_name="push_id")
    state = django_filters.ChoiceFilter(choices=STATES, method="filter_state", label=_("State"))
    channel = django_filters.ChoiceFilter(choices=c.Channel.choices, label=_("Channel"))
    region = RegionSubtreeFilter()

    class Meta:
        model = Delivery
        fields = ["push", "state", "channel", "region"]

    def filter_state(self, qs, name, value):
        return qs.filter(acknowledged_at__isnull=value == WAITING)
