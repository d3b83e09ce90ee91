from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = (
        "VACUUM (ANALYZE) on PostgreSQL, ANALYZE on SQLite: after bulk loads where "
        "autovacuum is off or behind (planner statistics, GIN pending lists)."
    )

    def handle(self, *args, **options):
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")
        self.stdout.write("vacuum_analyze: done")
