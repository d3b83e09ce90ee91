"""Background jobs: the one way to run work outside a request.

The queue is Django's Tasks API (the `django-tasks` backport; `django.tasks` from
Django 6): the database backend by default, Redis + RQ at scale, chosen in settings
alone. Every piece of work is a *job kind* declared with `@kind(...)`; `start()` records a
`Job` row (what the user sees: who, what, progress, result) and enqueues the one task,
`run_job`, which claims the row, runs the kind's function and stores the outcome.

- Idempotent: `start(key=...)` returns the existing job for the same key, and a job is
  claimed with one conditional UPDATE, so a task delivered twice runs once.
- Retried with backoff where the kind says it is safe (`retries=`); a domain error (bad
  input) is never retried.
- A job whose worker died (no heartbeat for `JOB_STALE_SECONDS`) is put back on the queue
  by the `core.reap_jobs` schedule, or failed when it has no attempts left.
- Progress: `run.progress(done, total, message)`. In a worker a heartbeat thread writes it
  once a second on a connection of its own, so it shows while the job's own transaction
  is still open (PostgreSQL; SQLite writes it once that transaction commits).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks.exceptions import TaskResultDoesNotExist

from kepu.core import audit, clock, crypto, request_context
from kepu.core.errors import DomainError
from kepu.core.models import Job, JobStatus

log = logging.getLogger("kepu.jobs")


@dataclass(frozen=True)
class JobKind:
    key: str
    func: Callable
    title: object  # a lazy translation
    retries: int = 0
    queue: str = "default"
    link: Callable | None = None  # job -> the page to go on to once it finished


KINDS: dict[str, JobKind] = {}
# Set by the worker command: progress is then written by a heartbeat thread.
IN_WORKER = False
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


def kind(key: str, *, title, retries: int = 0, queue: str = "default", link=None):
    """Declare a job kind. The function takes the `JobRun` and returns a JSON-able dict
    (the result shown on the job page), or raises `DomainError` with the reason.
    `retries`: how many times a crash is retried (only where repeating is harmless).
    `link(job)`: the URL to go on to once the job finished (e.g. the import's report)."""

    def register(func):
        KINDS[key] = JobKind(key, func, title, retries, queue, link)
        return func

    return register


def start(
    key: str,
    *,
    actor=None,
    region=None,
    params: dict | None = None,
    title: str = "",
    idem: str | None = None,
    schedule: str = "",
) -> Job:
    """Record a job and queue it. With `idem`, starting the same work again returns the
    first job instead of a second one (a double click, a retried request)."""
    spec = KINDS[key]
    params = dict(params or {})
    params.setdefault("lang", translation.get_language() or settings.LANGUAGE_CODE)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if idem is not None:
        existing = Job.objects.filter(key=idem).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=key,
                title=(title or str(spec.title))[:200],
                key=idem,
                created_by=actor,
                region=region,
                params=params,
                schedule=schedule,
            )
            audit.record(
                "core.job.started",
                obj=job,
                actor=actor,
                detail={"kind": key, "schedule": schedule} if schedule else {"kind": key},
            )
            _enqueue(job, spec)
    except IntegrityError:
        if idem is None:
            raise
        return Job.objects.get(key=idem)
    return Job.objects.get(pk=job.pk) if _runs_inline() else job


def next_url(job: Job) -> str:
    """Where the job's page leads once the job finished ("" = stay on the job page)."""
    spec = KINDS.get(job.kind)
    if not job.finished or spec is None or spec.link is None:
        return ""
    return spec.link(job) or ""


def _backend():
    return task_backends["default"]


def _runs_inline() -> bool:
    return type(_backend()).__name__ == "ImmediateBackend"


def _transactional() -> bool:
    """Whether the backend keeps its queue in the database (so enqueueing is part of the
    caller's transaction); otherwise the task is sent once the transaction commits."""
    return type(_backend()).__name__ in ("DatabaseBackend", "ImmediateBackend")


def _enqueue(job: Job, spec: JobKind, *, run_after=None) -> None:
    if not _backend().supports_defer:
        run_after = None
    runner = run_job.using(queue_name=spec.queue, run_after=run_after)

    def send():
        result = runner.enqueue(str(job.pk))
        # The latest delivery's task: `resend_lost` asks the queue about it.
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    if _transactional():
        send()
    else:
        # After the commit, so a worker finds the row. If the queue is away then, the job
        # stays queued and `resend_lost` sends it once the queue is back (robust: the
        # caller's work is committed and is not turned into an error page).
        transaction.on_commit(send, robust=True)


@task()
def run_job(job_id: str) -> str:
    """The one task of the queue: run the job `job_id` (once, whatever the delivery)."""
    if not IN_WORKER:
        return execute(job_id)
    # A worker lives for days. Like a request, each job starts and ends with a usable
    # connection: django-tasks-db's loop checks between tasks, an RQ worker does not, and
    # one connection broken by a database restart would fail every later job.
    close_old_connections()
    try:
        return execute(job_id)
    finally:
        close_old_connections()


def execute(job_id: str) -> str:
    now = clock.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        worker=WORKER_ID[:100],
        error="",
    )
    if not claimed:
        return "skipped"  # already run, running elsewhere, or gone
    job = Job.objects.select_related("created_by").get(pk=job_id)
    spec = KINDS.get(job.kind)
    run = JobRun(job)
    token = request_context.activate(request_context.RequestContext(user=job.created_by))
    beat = _Heartbeat(run) if IN_WORKER else None
    try:
        try:
            with translation.override(job.params.get("lang") or settings.LANGUAGE_CODE):
                if spec is None:
                    raise DomainError(_("This type of job no longer exists."))
                result = spec.func(run) or {}
        finally:
            if beat:
                beat.stop()  # before the outcome is written, whatever it is
        _finish(run, JobStatus.SUCCEEDED, result=result)
        return "succeeded"
    except DomainError as exc:
        _finish(run, JobStatus.FAILED, error=" ".join(exc.messages))
        return "failed"
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, job.kind)
        retries = spec.retries if spec else 0
        if job.attempts <= retries:
            _retry(run, spec, exc)
            return "retrying"
        _finish(
            run,
            JobStatus.FAILED,
            error=_("The job stopped with an error: %(e)s") % {"e": _brief(exc)},
        )
        return "failed"
    finally:
        request_context.reset(token)


def _brief(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:300]}"


def _backoff(attempt: int) -> timedelta:
    return timedelta(seconds=min(600, settings.JOB_RETRY_SECONDS * 2 ** (attempt - 1)))


def _retry(run: JobRun, spec: JobKind, exc: BaseException) -> None:
    job = run.job
    when = clock.now() + _backoff(job.attempts)
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.QUEUED,
            run_after=when,
            message=_("Attempt %(n)d failed; trying again at %(t)s.")
            % {"n": job.attempts, "t": timezone.localtime(when).strftime("%H:%M:%S")},
            error=_brief(exc),
        )
        _enqueue(job, spec, run_after=when)


def _finish(run: JobRun, status: str, *, result: dict | None = None, error: str = "") -> None:
    job = run.job
    if status == JobStatus.SUCCEEDED:
        if run.total:
            run.done = run.total
        run.message = run.outcome  # the phase messages are over: say what came of it
    fields = {
        "status": status,
        "finished_at": clock.now(),
        "heartbeat_at": clock.now(),
        "done": run.done,
        "total": run.total,
        "message": run.message[:300],
        "result": result or {},
        "error": error[:2000],
    }
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(**fields)
        for name, value in fields.items():
            setattr(job, name, value)
        audit.record(
            "core.job.succeeded" if status == JobStatus.SUCCEEDED else "core.job.failed",
            obj=job,
            actor=job.created_by,
            outcome="success" if status == JobStatus.SUCCEEDED else "failure",
            detail={"kind": job.kind, "attempts": job.attempts},
        )


class JobRun:
    """What a job's function gets: the job row, its parameters, progress and files."""

    def __init__(self, job: Job):
        self.job = job
        self.params = job.params
        self.done = job.done
        self.total = job.total
        self.message = job.message
        self.outcome = ""  # shown once the job succeeded ("2,000 rows: 2,000 new …")
        self._lock = threading.Lock()
        self._flushed_at = 0.0

    @property
    def actor(self):
        return self.job.created_by

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        with self._lock:
            self.done = done
            if total is not None:
                self.total = total
            new_phase = message is not None and str(message)[:300] != self.message
            if message is not None:
                self.message = str(message)[:300]
        # Outside a transaction it is written here, at a new phase or once a second (the
        # heartbeat thread also writes it, and is the only one that can inside a
        # transaction on PostgreSQL; SQLite lets no one write until that commits).
        if not transaction.get_connection().in_atomic_block and (
            new_phase or time.monotonic() - self._flushed_at > 1.0
        ):
            self.flush()

    def flush(self) -> None:
        with self._lock:
            values = {"done": self.done, "total": self.total, "message": self.message}
        self._flushed_at = time.monotonic()
        Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING).update(
            heartbeat_at=clock.now(), **values
        )

    def save_file(self, name: str, content) -> None:
        """Attach the job's output (bytes, or an open file) for the owner to download.
        Stored sealed with the field key ring (an export may hold full ID and phone
        numbers): `stored_file` opens it again."""
        data = content if isinstance(content, bytes) else content.read()
        body = ContentFile(crypto.seal_bytes(data))
        self.job.file.save(f"{self.job.pk}-{name}.sealed", body, save=False)
        Job.objects.filter(pk=self.job.pk).update(file=self.job.file.name, file_name=name[:200])


def stored_file(job: Job) -> bytes:
    """A job's output file, opened (files stored before sealing are read as they are)."""
    with job.file.open("rb") as fh:
        blob = fh.read()
    return crypto.open_sealed_bytes(blob) if crypto.is_sealed_bytes(blob) else blob


class _Heartbeat:
    """Writes a running job's progress and heartbeat once a second, on this thread's own
    database connection (Django keeps one per thread)."""

    def __init__(self, run: JobRun):
        self.run = run
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="job-heartbeat", daemon=True)
        self._thread.start()

    def _loop(self):
        try:
            while not self._stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    self.run.flush()
                except Exception:  # a locked SQLite file, a dropped connection: next beat
                    log.debug("heartbeat of job %s not written", self.run.job.pk, exc_info=True)
                    close_old_connections()
        finally:
            from django.db import connection

            connection.close()

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=30)


def reap_stale(now=None) -> dict:
    """Jobs whose worker stopped mid-run (killed, host lost): no heartbeat for
    JOB_STALE_SECONDS. Put back on the queue when attempts remain, else failed."""
    now = now or clock.now()
    cutoff = now - timedelta(seconds=settings.JOB_STALE_SECONDS)
    requeued = failed = 0
    stale = Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff)
    for job in stale.only("pk", "kind", "attempts")[:500]:
        spec = KINDS.get(job.kind)
        retries = spec.retries if spec else 0
        with transaction.atomic():
            if spec is not None and job.attempts <= retries:
                n = Job.objects.filter(
                    pk=job.pk, status=JobStatus.RUNNING, heartbeat_at__lt=cutoff
                ).update(
                    status=JobStatus.QUEUED,
                    run_after=None,
                    message=_("The worker stopped; the job was put back on the queue."),
                )
                if n:
                    _enqueue(job, spec)
                    requeued += n
            else:
                failed += Job.objects.filter(
                    pk=job.pk, status=JobStatus.RUNNING, heartbeat_at__lt=cutoff
                ).update(
                    status=JobStatus.FAILED,
                    finished_at=now,
                    error=_("The worker stopped while running this job."),
                )
    return {"requeued": requeued, "failed": failed}


def resend_lost(now=None) -> int:
    """Queued jobs whose delivery was lost, sent again: the enqueue after the commit
    failed (Redis away), Redis restarted without persistence and lost its queues, or the
    task ended without claiming the job (the database away at that moment). The Job row
    is the truth and the queue only carries it, so a job still queued JOB_STALE_SECONDS
    after it was due, whose task the queue no longer has waiting, is enqueued again
    (were it delivered twice after all, it runs once: see `execute`)."""
    now = now or clock.now()
    cutoff = now - timedelta(seconds=settings.JOB_STALE_SECONDS)
    waiting = Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=cutoff).filter(
        Q(run_after__isnull=True) | Q(run_after__lt=cutoff)
    )
    resent = 0
    for job in waiting.only("pk", "kind", "task_id")[:500]:
        spec = KINDS.get(job.kind)
        if spec is None or _delivery_pending(job.task_id):
            continue
        with transaction.atomic():
            if Job.objects.select_for_update().filter(pk=job.pk, status=JobStatus.QUEUED):
                _enqueue(job, spec)
                resent += 1
    return resent


def _delivery_pending(task_id: str) -> bool:
    """Whether the queue still has the task waiting or running."""
    if not task_id:
        return False
    backend = _backend()
    if not backend.supports_get_result:
        return True  # the inline backend: nothing is ever waiting, nor lost
    try:
        result = backend.get_result(task_id)
    except TaskResultDoesNotExist:
        return False
    return result.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)
