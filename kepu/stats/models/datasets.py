"""Data sets as data (DHIS2's data sets and data elements): a survey year's version of
the national 科普统计 tables, their sections and indicators (code, name, unit, type, the
breakdown of a parent), and the validation rules checked on every way values come in."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kepu.stats import choices as c


class DataSet(models.Model):
    """One version of the survey's tables, by survey year (the tables and codes change:
    124 indicators for 2017–2019, 139 for 2021–2023, 156 from 2024)."""

    code = models.CharField(_("code"), max_length=32)
    year = models.PositiveSmallIntegerField(_("data year"))
    name = models.CharField(_("name"), max_length=200)
    approval_number = models.CharField(_("statistical approval number"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Share of change from last year beyond which a value needs an explanation (8 %).
    change_threshold = models.DecimalField(
        _("change needing an explanation"), max_digits=5, decimal_places=3, default="0.080"
    )

    AUDIT_FIELDS = ("code", "year", "name", "approval_number", "change_threshold")

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")
        constraints = [models.UniqueConstraint(fields=["code", "year"], name="stats_dataset_once")]

    def __str__(self):
        return self.name


class StatTable(models.Model):
    """A table of the survey (表1 科普人员 …), filled by every reporting unit."""

    data_set = models.ForeignKey(
        DataSet, verbose_name=_("data set"), on_delete=models.CASCADE, related_name="tables"
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["data_set", "order", "code"]
        verbose_name = _("statistics table")
        verbose_name_plural = _("statistics tables")
        constraints = [
            models.UniqueConstraint(fields=["data_set", "code"], name="stats_table_once")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Section(models.Model):
    table = models.ForeignKey(
        StatTable, verbose_name=_("table"), on_delete=models.CASCADE, related_name="sections"
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["table", "order"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name


class Indicator(models.Model):
    """An indicator (data element): KR100 科普专职人员 (人). A breakdown (中级职称以上,
    女性, 农村) names its parent total, and is never larger than it. `official` is False
    for the codes Kepu assigned where the national code was not found."""

    data_set = models.ForeignKey(
        DataSet, verbose_name=_("data set"), on_delete=models.CASCADE, related_name="indicators"
    )
    table = models.ForeignKey(
        StatTable, verbose_name=_("table"), on_delete=models.CASCADE, related_name="indicators"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=100)
    unit = models.CharField(_("unit"), max_length=16)
    value_type = models.CharField(
        _("type"), max_length=4, choices=c.ValueType.choices, default=c.ValueType.INTEGER
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("breakdown of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="breakdowns",
    )
    breakdown = models.CharField(_("breakdown"), max_length=32, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    official = models.BooleanField(_("national code"), default=True)
    # The registry count that pre-fills it (a key of kepu.stats.prefill.SOURCES), if any.
    prefill = models.CharField(_("pre-filled from"), max_length=48, blank=True)
    # Per 10,000 residents in the analysis (staff, venues), per resident (funding), or not.
    per_capita = models.CharField(
        _("per-capita figure"),
        max_length=8,
        blank=True,
        choices=[("10k", _("per 10,000 residents")), ("1", _("per resident"))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    AUDIT_FIELDS = (
        "table", "section", "code", "name", "unit", "value_type", "parent", "breakdown",
        "definition", "official", "prefill", "per_capita", "order",
    )  # fmt: skip

    class Meta:
        ordering = ["data_set", "table__order", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["data_set", "code"], name="stats_indicator_once")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class ValidationRule(models.Model):
    """left operator right over indicator expressions ("KR100 >= KR110", "KJ100 ==
    KJ120 + KJ130 + KJ140 + KJ150"), or a change from last year beyond the data set's
    threshold for the indicators of `left`. One engine checks it on the form, the Excel
    import and the API alike (kepu.stats.services.validation)."""

    data_set = models.ForeignKey(
        DataSet, verbose_name=_("data set"), on_delete=models.CASCADE, related_name="rules"
    )
    code = models.CharField(_("code"), max_length=24)
    kind = models.CharField(
        _("kind"), max_length=8, choices=c.RuleKind.choices, default=c.RuleKind.COMPARE
    )
    left = models.CharField(_("left side"), max_length=400)
    operator = models.CharField(
        _("operator"), max_length=2, choices=c.Operator.choices, default=c.Operator.LE
    )
    right = models.CharField(_("right side"), max_length=400, blank=True)
    importance = models.CharField(
        _("importance"), max_length=8, choices=c.Importance.choices, default=c.Importance.ERROR
    )
    message = models.CharField(_("message"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    AUDIT_FIELDS = ("code", "kind", "left", "operator", "right", "importance", "message")

    class Meta:
        ordering = ["data_set", "code"]
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        constraints = [models.UniqueConstraint(fields=["data_set", "code"], name="stats_rule_once")]

    def __str__(self):
        return f"{self.code} {self.message}"
