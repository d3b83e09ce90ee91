import datetime

from django.core.management.base import BaseCommand, CommandError

from kepu.resources.services import send_review_reminders


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--date must be a date such as 2025-06-30, not {text!r}") from exc


class Command(BaseCommand):
    help = (
        "Remind the owner units, applicants and regional officers of catalog entries whose "
        "review-by date falls within the reminder window (once per review period). Run it "
        "daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Remind this many days ahead (default: KEPU_RESOURCE_REMIND_DAYS, 60).",
        )
        parser.add_argument(
            "--date",
            type=_date,
            default=None,
            help="Act as if today were this date (YYYY-MM-DD), e.g. to catch up.",
        )

    def handle(self, *args, days=None, date=None, **options):
        if days is not None and days < 0:
            raise CommandError("--days cannot be negative")
        count = send_review_reminders(today=date, days=days)
        self.stdout.write(f"{count} catalog entries due for review: reminders sent")
