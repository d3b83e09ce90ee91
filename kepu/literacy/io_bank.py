"""Excel import and export of the item bank. The export writes the columns the import
reads (and the version and status after them), so a bank can be exported, edited and
imported into another region's bank. Every row is checked with the bank's one
validation path (`services/bank_checks.py`); a file with any bad row writes nothing;
imported items arrive as drafts in the importer's bank, to be sent to review."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import audit, clock, scope
from kepu.core.excel import Column, RowError
from kepu.core.imports import ImportSpec, Plan, choice_map, register_spec
from kepu.literacy import choices as c
from kepu.literacy.models import Dimension, Instrument, Item
from kepu.literacy.services.bank_checks import (
    item_errors,
    key_text,
    options_text,
    parse_key,
    parse_options,
)

MAX_ROWS = 2000


def bank_region(user):
    """The bank an officer writes to: their top region where they may create items (None
    when they may not)."""
    if user is None:
        return None
    allowed = scope.allowed_regions(user, Item, "create")
    for root in scope.scope_roots(user):
        if allowed.filter(pk=root.pk).exists():
            return root
    return None


def item_columns() -> list[Column]:
    instruments = list(Instrument.objects.order_by("-year", "code"))
    dimensions = list(Dimension.objects.order_by("instrument__code", "position"))
    return [
        Column("code", _("Item code"), example="ZS-101", width=12,
               help=_("Unique in the bank; leave empty to number it automatically.")),
        Column("instrument", _("Test structure"), required=True,
               choices=[i.code for i in instruments], example="national-2024", width=16,
               help=_("The structure's code: %(codes)s.")
               % {"codes": "、".join(f"{i.code}（{i.name}）" for i in instruments)}),
        Column("dimension", _("Dimension"), required=True, example="科学知识", width=14,
               help=_("The dimension's name or code: %(names)s.")
               % {"names": "、".join(dict.fromkeys(d.name for d in dimensions))}),
        Column("sub_dimension", _("Sub-dimension"), example="天文", width=12,
               help=_("For the 2016 基准 test: 基准1 to 基准26.")),
        Column("kind", _("Kind of question"), required=True,
               choices=[str(label) for label in c.ItemKind.labels],
               example=str(c.ItemKind.TRUE_FALSE.label), width=12),
        Column("stem", _("Question"), required=True, example="地球围绕太阳转一圈需要一年。",
               width=40),
        Column("options", _("Options"), example="A. …\nB. …",
               help=_("One option per line, starting with its letter: “A. …”. None for a "
                      "true-or-false question."), width=30),
        Column("key", _("Correct answer"), example="T", width=10,
               help=_("The letter(s) of the correct option(s), e.g. “B” or “ACD”; T or F (对 or "
                      "错) for true or false; empty for a questionnaire question.")),
        Column("explanation", _("Explanation"), example="地球绕太阳公转一周约 365.25 天。",
               width=30),
        Column("difficulty", _("Target difficulty"),
               choices=[str(label) for label in c.Difficulty.labels],
               example=str(c.Difficulty.EASY.label), width=10),
        Column("source", _("Source"), example="《中国公民科学素质基准》基准13", width=24),
    ]  # fmt: skip


def export_columns() -> list[Column]:
    return [
        *item_columns(),
        Column("version", _("Version"), width=8),
        Column("status", _("Status"), width=12),
    ]


def export_values(item: Item) -> list:
    return [
        item.code, item.instrument.code, item.dimension.name, item.sub_dimension,
        item.get_kind_display(), item.stem, options_text(item.options), key_text(item.key),
        item.explanation, item.get_difficulty_display(), item.source, item.version,
        item.get_status_display(),
    ]  # fmt: skip


class ItemImport(ImportSpec):
    key = "literacy.item"
    title = gettext_lazy("Test items")
    permission = "literacy.item.create"
    filename = "items.xlsx"

    def columns(self):
        return item_columns()

    def list_url(self):
        return reverse("literacy:item_list")

    def plan(self, rows, actor) -> Plan:
        plan = Plan()
        headers = {col.key: col.header for col in self.columns()}

        def err(row, key, message):
            plan.errors.append(RowError(row, headers.get(key, ""), str(message)))

        region = bank_region(actor)
        if region is None:
            err(rows[0][0] if rows else 2, "", _("You may not add items to a bank."))
            return plan
        if len(rows) > MAX_ROWS:
            err(rows[MAX_ROWS][0], "", _("A file holds at most %(n)d items: split it.")
                % {"n": MAX_ROWS})  # fmt: skip
            return plan
        instruments = {i.code: i for i in Instrument.objects.all()}
        dimensions: dict = {}
        for d in Dimension.objects.all():
            dimensions[(d.instrument_id, d.code.lower())] = d
            dimensions[(d.instrument_id, d.name)] = d
        kinds, levels = choice_map(c.ItemKind), choice_map(c.Difficulty)
        taken = set(Item.objects.filter(region=region).values_list("code", flat=True))
        seen: dict[str, int] = {}
        numbers: dict[int, int] = {}
        now = clock.now()
        for row, values in rows:
            count = len(plan.errors)
            fields = self._fields(values, instruments, dimensions, kinds, levels, row, err)
            if len(plan.errors) > count:
                continue
            for name, message in item_errors(fields).items():
                err(row, name, message)
            code = fields["code"]
            if code in seen:
                err(
                    row,
                    "code",
                    _("The same code already appears in row %(r)d.") % {"r": seen[code]},
                )
            elif code in taken:
                err(row, "code", _("This bank already has an item with this code."))
            if len(plan.errors) > count:
                continue
            if code:
                seen[code] = row
            plan.creates.append(
                Item(region=region, created_by=actor, created_at=now, changed_at=now, **fields)
            )
        # Blank codes numbered after the file's own codes and the bank's, per dimension.
        for item in plan.creates:
            if not item.code:
                dimension = item.dimension
                n = numbers.get(dimension.pk, 0)
                while True:
                    n += 1
                    code = f"{dimension.code}-{n:03d}"
                    if code not in taken and code not in seen:
                        break
                numbers[dimension.pk] = n
                item.code = code
                seen[code] = 0
        if plan.errors:
            plan.creates = []
        return plan

    @staticmethod
    def _fields(values, instruments, dimensions, kinds, levels, row, err) -> dict:
        raw = {k: (values.get(k) or "").strip() for k in (
            "code", "instrument", "dimension", "sub_dimension", "kind", "stem", "options",
            "key", "explanation", "difficulty", "source",
        )}  # fmt: skip
        instrument = instruments.get(raw["instrument"])
        if instrument is None:
            err(row, "instrument", _("“%(v)s” is not a test structure.") % {"v": raw["instrument"]})
        dimension = None
        if instrument is not None:
            dimension = dimensions.get((instrument.pk, raw["dimension"])) or dimensions.get(
                (instrument.pk, raw["dimension"].lower())
            )
            if dimension is None:
                err(row, "dimension", _("“%(v)s” is not a dimension of this test structure.")
                    % {"v": raw["dimension"]})  # fmt: skip
        kind = kinds.get(raw["kind"].lower())
        if kind is None:
            err(row, "kind", _("“%(v)s” is not one of the allowed values.") % {"v": raw["kind"]})
        difficulty = levels.get(raw["difficulty"].lower()) if raw["difficulty"] else "medium"
        if difficulty is None:
            err(row, "difficulty", _("“%(v)s” is not one of the allowed values.")
                % {"v": raw["difficulty"]})  # fmt: skip
        try:
            options = parse_options(raw["options"])
        except ValueError as exc:
            err(row, "options", str(exc))
            options = []
        if len(raw["code"]) > 30:
            err(row, "code", _("At most 30 characters."))
        if len(raw["stem"]) > 2000:
            err(row, "stem", _("At most 2,000 characters."))
        return {
            "code": raw["code"], "instrument": instrument, "dimension": dimension,
            "sub_dimension": raw["sub_dimension"][:60], "kind": kind or "",
            "stem": raw["stem"], "options": [] if kind == c.ItemKind.TRUE_FALSE else options,
            "key": parse_key(raw["key"], kind or ""), "explanation": raw["explanation"][:4000],
            "difficulty": difficulty or "medium", "source": raw["source"][:200],
        }  # fmt: skip

    def apply(self, plan: Plan, actor) -> None:
        items = Item.objects.bulk_create(plan.creates)
        ids = sorted(item.pk for item in items if item.pk is not None)
        audit.record(
            "literacy.item.imported",
            actor=actor,
            object_type="literacy.item",
            region_code=plan.creates[0].region.code if plan.creates else "",
            detail={
                "created": len(plan.creates),
                "codes": [item.code for item in plan.creates[:200]],
                "ids": [ids[0], ids[-1]] if ids else [],
            },
        )


register_spec(ItemImport())
