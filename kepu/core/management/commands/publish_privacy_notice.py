"""Publish a new version of a privacy notice (one purpose). The text comes from files:

    manage.py publish_privacy_notice signup 2026-1 --title "科普活动报名个人信息处理告知书" \
        --text notice-zh.txt --title-en "..." --text-en notice-en.txt [--effective 2026-03-01]

A new version is a new row; the forms ask consent to it from its effective date on, and
the consents already given keep pointing at the version those people read."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kepu.core import periods
from kepu.core.choices import NoticePurpose
from kepu.core.errors import DomainError
from kepu.core.services import publish_privacy_notice


class Command(BaseCommand):
    help = "Publish a new version of the privacy notice of a purpose (text from files)."

    def add_arguments(self, parser):
        parser.add_argument("purpose", choices=NoticePurpose.values)
        parser.add_argument("version")
        parser.add_argument("--title", required=True)
        parser.add_argument("--text", required=True, help="file with the Chinese text")
        parser.add_argument("--title-en", default="")
        parser.add_argument("--text-en", default="", help="file with the English text")
        parser.add_argument("--effective", default="", help="YYYY-MM-DD (default: now)")

    def handle(self, *args, **options):
        effective = None
        if options["effective"]:
            try:
                day = datetime.date.fromisoformat(options["effective"])
            except ValueError as exc:
                raise CommandError("--effective: give a date as YYYY-MM-DD") from exc
            effective = periods.local_midnight(day)
        try:
            notice = publish_privacy_notice(
                actor=None,
                purpose=options["purpose"],
                version=options["version"],
                title=options["title"],
                text=Path(options["text"]).read_text(encoding="utf-8").strip(),
                title_en=options["title_en"],
                text_en=(
                    Path(options["text_en"]).read_text(encoding="utf-8").strip()
                    if options["text_en"]
                    else ""
                ),
                effective_at=effective,
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"published {notice.purpose} {notice.version} from {notice.effective_at}")
