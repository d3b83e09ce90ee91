"""Excel import and export of information officers' activity. Each row names the officer
by document number (found by its keyed hash, in the importer's scope); every bad row is
reported with its reason and nothing is written unless every row is right."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import crypto, pii
from kepu.core.excel import Column, RowError
from kepu.core.imports import ImportSpec, Plan, choice_map, register_spec
from kepu.core.scope import visible_to
from kepu.people import choices as c
from kepu.people.models import OfficerActivity, Person, Registration
from kepu.people.officers import MAX_REACH, validate_activity

DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?")
MAX_ROWS = 100_000


def activity_columns() -> list[Column]:
    return [
        Column(
            "id_number",
            _("Officer's document number"),
            required=True,
            example="51010419900101123X",
            width=22,
        ),
        Column("date", _("Date shared"), required=True, example="2026-11-05", width=12),
        Column(
            "channel",
            _("Channel"),
            required=True,
            choices=[str(x) for x in c.Channel.labels],
            example=str(c.Channel.WECHAT.label),
            width=14,
        ),
        Column("title", _("Content title"), required=True, example="冬季用电安全小常识", width=30),
        Column("link", _("Link"), example="https://www.kepuchina.cn/", width=30),
        Column("views", _("Views"), example="320", text=False, width=10),
        Column("shares", _("Shares"), example="12", text=False, width=10),
        Column(
            "client_key",
            _("Row key"),
            help=_("Optional: a key already imported for the officer is skipped."),
            width=16,
        ),
    ]


def _date(text: str) -> datetime.date | None:
    match = DATE.fullmatch((text or "").strip())
    if match is None:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _number(text: str) -> int | None:
    text = (text or "0").strip().replace(",", "") or "0"
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() and int(text) <= MAX_REACH else None


class ActivityImport(ImportSpec):
    key = "people.officeractivity"
    title = gettext_lazy("Information officers' activity")
    permission = "people.officeractivity.import"
    filename = "officer-activity.xlsx"

    def columns(self):
        return activity_columns()

    def list_url(self):
        return reverse("people:officer_activity_list")

    def plan(self, rows, actor) -> Plan:
        plan = Plan()
        header = {col.key: col.header for col in self.columns()}
        channels = choice_map(c.Channel)
        rows = list(rows)
        plan.total = len(rows)
        digests = {}
        for _row, values in rows:
            number = pii.normalize_id(values.get("id_number", ""))
            if number:
                digests[number] = crypto.blind_index(number)
        people = {
            p.id_hash: p
            for p in visible_to(actor, Person.objects.live().select_related("region"), "view")
            .filter(id_hash__in=list(set(digests.values())))
            .only("pk", "id_hash", "region", "user_id", "erased_at", "region__path")
        }
        officers = set(
            Registration.objects.filter(
                person__in=[p.pk for p in people.values()],
                kind=c.RegistrationKind.INFO_OFFICER,
                status__in=c.ACTIVE_STATUSES,
            ).values_list("person_id", flat=True)
        )
        keys = {}
        for row, values in rows:
            number = pii.normalize_id(values.get("id_number", ""))
            person = people.get(digests.get(number, ""))
            if person is None:
                plan.errors.append(
                    RowError(
                        row,
                        header["id_number"],
                        _("No person with this document number in your scope."),
                    )
                )
                continue
            if person.pk not in officers:
                plan.errors.append(
                    RowError(
                        row,
                        header["id_number"],
                        _("This person is not a registered information officer."),
                    )
                )
                continue
            day = _date(values.get("date", ""))
            channel = channels.get(values.get("channel", "").strip().lower(), "")
            views, shares = _number(values.get("views")), _number(values.get("shares"))
            title, link = values.get("title", "").strip(), values.get("link", "").strip()
            errors = validate_activity(
                person,
                date=day,
                channel=channel,
                title=title,
                views=views,
                shares=shares,
                link=link,
                checked_officer=True,
            )
            if len(title) > 200:
                errors["title"] = _("At most 200 characters.")
            key = values.get("client_key", "").strip()[:64]
            if key and (person.pk, key) in keys:
                errors["client_key"] = _("The same key as row %(row)d.") % {
                    "row": keys[(person.pk, key)]
                }
            if errors:
                for name, message in errors.items():
                    plan.errors.append(RowError(row, header.get(name, ""), message))
                continue
            if key:
                keys[(person.pk, key)] = row
            plan.creates.append(
                OfficerActivity(
                    person=person,
                    region=person.region,
                    date=day,
                    channel=channel,
                    title=title,
                    link=link,
                    views=views,
                    shares=shares,
                    client_key=key,
                )
            )
        if keys:
            # Keys imported before: those rows are skipped (a file imported twice).
            seen = set(
                OfficerActivity.objects.filter(
                    person__in={p for p, _k in keys}, client_key__in={k for _p, k in keys}
                ).values_list("person_id", "client_key")
            )
            plan.creates = [a for a in plan.creates if (a.person_id, a.client_key) not in seen]
        if plan.errors:
            plan.creates = []
        return plan

    def apply(self, plan: Plan, actor) -> None:
        from kepu.people.officers import import_activities

        import_activities(plan.creates, actor=actor)


register_spec(ActivityImport())


def activity_export_columns() -> list[Column]:
    return [
        Column("date", _("Date shared"), width=12),
        Column("person", _("Information officer"), width=12),
        Column("region", _("Region"), width=14),
        Column("channel", _("Channel"), width=12),
        Column("title", _("Content title"), width=30),
        Column("link", _("Link"), width=30),
        Column("views", _("Views"), text=False, width=10),
        Column("shares", _("Shares"), text=False, width=10),
        Column("source", _("Source"), width=12),
    ]


def activity_export_values(activity) -> list:
    return [
        activity.date.isoformat(),
        activity.person.name,
        activity.region.name,
        activity.get_channel_display(),
        activity.title,
        activity.link,
        activity.views,
        activity.shares,
        activity.get_source_display(),
    ]
