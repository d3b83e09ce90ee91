from django.db import models
from django.utils.translation import gettext_lazy as _


class Rollup(models.Model):
    """A counter of one metric for the facts attached to one region in one month, under
    one key (a status, a kind, a tag; "" when the metric has no key).

    Services add to it inside the transaction that changes the fact (`core.rollups.add`);
    statistics, bulletins, dashboards, status tabs and facet counts read it instead of
    the raw rows. `path` is the region's path, copied so that a subtree is one range and
    the breakdown by child region one GROUP BY on a prefix. `rollups.reconcile` rebuilds
    a metric from the raw rows and reports any drift."""

    metric = models.CharField(_("metric"), max_length=48)
    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    path = models.CharField(_("path"), max_length=64)
    month = models.DateField(_("month"))
    key = models.CharField(_("key"), max_length=64, blank=True, default="")
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("rollup counter")
        verbose_name_plural = _("rollup counters")
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "region", "month", "key"], name="core_rollup_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["metric", "path", "month"], name="core_rollup_path"),
            models.Index(fields=["metric", "month", "path"], name="core_rollup_month"),
        ]

    def __str__(self):
        return f"{self.metric} {self.path} {self.month:%Y-%m} {self.key}={self.value}"
