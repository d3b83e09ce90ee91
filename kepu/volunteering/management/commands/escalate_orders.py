from django.core.management.base import BaseCommand

from kepu.volunteering.services import escalate_overdue


class Command(BaseCommand):
    help = (
        "Flag service orders past their dispatch or acceptance deadline (working days) and "
        "escalate them to the level above. Run it from cron, e.g. every hour on working days."
    )

    def handle(self, *args, **options):
        count = escalate_overdue()
        self.stdout.write(f"{count} overdue orders escalated")
