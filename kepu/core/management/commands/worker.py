"""The background worker: runs queued jobs and the schedules declared in code.

    manage.py worker                 # the configured engine, all queues, with the scheduler
    manage.py worker --no-scheduler  # jobs only (e.g. a second worker on a big host)

The engine is the configured Tasks backend: the database (django-tasks-db's worker loop)
or Redis + RQ (an RQ worker, one job at a time, no fork per job). Any number of workers
may run on any number of hosts; each one's scheduler ticks, and a due schedule is
enqueued by whichever claims it first (kepu.core.schedules)."""

import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import OperationalError, close_old_connections, connection

from kepu.core import jobs, schedules

log = logging.getLogger("kepu.jobs")
# The RQ job class of django-tasks-rq: RQ's own Job calls its function directly, which a
# Task refuses ("'Task' object is not callable"), so every job failed in RQ and its Job
# row stayed queued.
RQ_JOB_CLASS = "django_tasks_rq.backend.Job"


class Command(BaseCommand):
    help = "Run background jobs and the periodic schedules (Ctrl-C stops it)."

    def add_arguments(self, parser):
        parser.add_argument("--queues", default="default,bulk")
        parser.add_argument("--no-scheduler", action="store_true")
        parser.add_argument(
            "--interval", type=float, default=0.5, help="seconds between polls of an empty queue"
        )
        parser.add_argument(
            "--batch", action="store_true", help="run what is queued, then exit (tests)"
        )

    def handle(self, *args, queues, no_scheduler, interval, batch, **options):
        logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(message)s")
        # A long-running worker writes progress from a heartbeat thread; a batch run (tests,
        # a one-off catch-up) writes it inline like any other caller.
        jobs.IN_WORKER = not batch
        stop = threading.Event()
        if not no_scheduler and not batch:
            threading.Thread(
                target=self._scheduler, args=(stop,), name="scheduler", daemon=True
            ).start()
        backend = settings.TASKS["default"]["BACKEND"]
        self.stdout.write(
            f"worker {jobs.WORKER_ID}: {backend.rsplit('.', 1)[-1]}, queues {queues}"
            + ("" if no_scheduler or batch else ", with the scheduler")
        )
        try:
            if backend.startswith("django_tasks_rq"):
                call_command(
                    "rqworker",
                    *queues.split(","),
                    worker_class="rq.worker.SimpleWorker",
                    job_class=RQ_JOB_CLASS,
                    with_scheduler=True,
                    burst=batch,
                    name=jobs.WORKER_ID.replace(":", "-"),
                    verbosity=options["verbosity"],
                )
            else:
                call_command(
                    "db_worker",
                    queue_name=queues,
                    interval=interval,
                    batch=batch,
                    reload=False,
                    startup_delay=not batch,
                    worker_id=jobs.WORKER_ID[:64],
                    verbosity=options["verbosity"],
                )
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()

    def _scheduler(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                close_old_connections()
                for job in schedules.tick():
                    log.info("scheduled %s (%s)", job.schedule, job.pk)
                reaped = jobs.reap_stale()
                if any(reaped.values()):
                    log.warning("jobs of stopped workers: %s", reaped)
                resent = jobs.resend_lost()
                if resent:
                    log.warning("queued jobs sent again (their delivery was lost): %d", resent)
            except OperationalError as exc:  # SQLite busy with a job's write, a restart
                log.warning("scheduler tick skipped: %s", exc)
                connection.close()
            except Exception:  # anything else: logged in full, tried again next tick
                log.exception("scheduler tick failed")
                connection.close()
            stop.wait(settings.SCHEDULER_TICK_SECONDS)
