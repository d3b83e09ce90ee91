from django.core.management.base import BaseCommand

from kepu.plans.services import send_reminders


class Command(BaseCommand):
    help = (
        "Open the reporting periods of published plans and remind units of progress reports "
        "due within the plan's reminder window (Chinese working days). Run it daily from cron."
    )

    def handle(self, *args, **options):
        count = send_reminders()
        self.stdout.write(f"{count} reminders sent")
