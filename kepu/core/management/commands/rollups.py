import time

from django.core.management.base import BaseCommand, CommandError

from kepu.core import rollups


class Command(BaseCommand):
    help = (
        "Reconcile the rollup counters with the raw rows: report every counter that "
        "drifted and rewrite the metric (--check: report only; --rebuild: rewrite without "
        "comparing). Run on a schedule; exits 1 when it found drift."
    )

    def add_arguments(self, parser):
        parser.add_argument("metrics", nargs="*", help="metric names (default: all)")
        parser.add_argument("--check", action="store_true", help="report drift, change nothing")
        parser.add_argument("--rebuild", action="store_true", help="rewrite without comparing")

    def handle(self, *args, **options):
        known = rollups.metrics()
        names = options["metrics"] or sorted(known)
        unknown = [n for n in names if n not in known]
        if unknown:
            raise CommandError(f"unknown metrics: {', '.join(unknown)}")
        drifted = 0
        for name in names:
            started = time.perf_counter()
            if options["rebuild"]:
                n = rollups.rebuild(name)
                self.stdout.write(f"{name}: rebuilt {n} counters")
                continue
            drift = rollups.reconcile(name, fix=not options["check"])
            seconds = time.perf_counter() - started
            if drift:
                drifted += len(drift)
                self.stdout.write(f"{name}: {len(drift)} counters drifted ({seconds:.1f} s)")
                for row in drift[:20]:
                    self.stdout.write(f"  {row}")
            else:
                self.stdout.write(f"{name}: in step ({seconds:.1f} s)")
        if drifted:
            raise SystemExit(1)
