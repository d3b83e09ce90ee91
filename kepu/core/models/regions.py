from django.db import models
from django.utils.translation import gettext_lazy as _

from kepu.core.choices import RegionLevel
from kepu.core.querysets import RegionQuerySet


class Region(models.Model):
    """An administrative division: province → prefecture → county (GB/T 2260 codes) →
    township (9-digit statistical codes).

    `path` is the materialized path of codes ("51/5101/510104/"), so a subtree is one
    indexed range query (see `querysets.subtree_bounds`), never recursive Python.
    """

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=64, unique=True)
    population = models.PositiveIntegerField(
        _("resident population"),
        null=True,
        blank=True,
        help_text=_(
            "The 7th national census (2020) where bundled (Sichuan), else entered by "
            "officers; used for per-capita rates."
        ),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["parent", "code"]), models.Index(fields=["level", "code"])]

    def __str__(self):
        return self.name

    @property
    def ancestor_codes(self) -> list[str]:
        return [code for code in self.path.split("/") if code]

    def ancestors(self, *, include_self: bool = False):
        codes = self.ancestor_codes if include_self else self.ancestor_codes[:-1]
        return Region.objects.filter(code__in=codes).order_by("level")

    def is_within(self, other: "Region") -> bool:
        """True when self is `other` or lies below it."""
        return self.path.startswith(other.path)

    @property
    def full_name(self) -> str:
        return "".join(r.name for r in self.ancestors(include_self=True))
