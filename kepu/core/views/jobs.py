"""Background jobs as the user sees them (a list of mine, a page with a live progress bar,
the output file), the administrators' schedules page, and the health probes."""

import io
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from kepu.core import audit, clock, crypto, idempotency, jobs, schedules
from kepu.core.models import Job, JobStatus, ScheduleState
from kepu.core.privacy import no_store
from kepu.core.scope import get_for_user
from kepu.core.views.common import paginate, permission_required, query_without_page

log = logging.getLogger(__name__)


def job_page(job: Job) -> str:
    return reverse("core:job_detail", args=[job.pk])


def form_job_key(request, kind: str) -> str | None:
    """The idempotency key of a job started by a posted form: the form's double-submit
    token (`{% form_token %}`), so a double click or a resubmission of the same form
    returns the job the first submission started instead of starting a second one."""
    token = request.POST.get(idempotency.FIELD, "")[:64]
    return f"{kind}:{request.user.pk}:{token}" if token else None


def _visible(request):
    return Job.objects.visible_to(request.user).select_related("created_by", "region")


@require_safe
@permission_required("core.job.view")
def job_list(request):
    qs = _visible(request)
    status = request.GET.get("status", "")
    if status in JobStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("mine"):
        qs = qs.filter(created_by=request.user)
    return render(
        request,
        "core/job_list.html",
        {
            "page": paginate(request, qs.order_by("-created_at", "-pk"), per_page=30),
            "query": query_without_page(request),
            "status": status,
            "statuses": JobStatus.choices,
        },
    )


def _job(request, pk) -> Job:
    return get_for_user(_visible(request), request.user, pk, "view")


def _counts(job: Job) -> str:
    """ "41,333 / 100,000" in the page's language (the same text as the page renders)."""
    if job.total:
        return f"{intcomma(job.done)} / {intcomma(job.total)}"
    return intcomma(job.done) if job.done else ""


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i:s") if moment else "—"


def _state(job: Job) -> dict:
    return {
        "counts": _counts(job),
        "started_at": _when(job.started_at),
        "finished_at": _when(job.finished_at),
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "error": job.error,
        "finished": job.finished,
        "next": jobs.next_url(job),
        "file": reverse("core:job_file", args=[job.pk]) if job.file else "",
    }


@require_safe
@permission_required("core.job.view")
def job_detail(request, pk):
    job = _job(request, pk)
    return render(
        request,
        "core/job_detail.html",
        {
            "job": job,
            "state": _state(job),
            "next": jobs.next_url(job),
            "mine": job.created_by_id == request.user.pk,
        },
    )


@never_cache
@require_safe
@permission_required("core.job.view")
def job_status(request, pk):
    """The job page polls this once a second while the job runs."""
    return JsonResponse(_state(_job(request, pk)))


@require_safe
@permission_required("core.job.view")
def job_file(request, pk):
    """A job's output: for the person who started it only (an officer who may see the
    job of a colleague does not download the colleague's export)."""
    job = _job(request, pk)
    if not job.file or job.created_by_id != request.user.pk:
        raise Http404
    try:
        data = jobs.stored_file(job)
    except (FileNotFoundError, crypto.CryptoError):
        log.warning("the output file of job %s cannot be opened", job.pk, exc_info=True)
        raise Http404 from None
    audit.record("core.job.downloaded", obj=job, actor=request.user, detail={"file": job.file_name})
    # An export may hold full ID and phone numbers: never kept by a cache.
    response = FileResponse(io.BytesIO(data), as_attachment=True, filename=job.file_name)
    return no_store(response)


@require_safe
@permission_required("core.schedule.view")
def schedule_list(request):
    states = {s.name: s for s in ScheduleState.objects.select_related("last_job")}
    # The last ten runs of each schedule, from one query over the last two weeks.
    history: dict[str, list[str]] = {}
    since = clock.now() - timedelta(days=14)
    recent_runs = (
        Job.objects.filter(created_at__gte=since)
        .exclude(schedule="")
        .order_by("-created_at")
        .values_list("schedule", "status")[:2000]
    )
    for name, status in recent_runs:
        runs = history.setdefault(name, [])
        if len(runs) < 10:
            runs.append(status)
    rows = []
    for name, schedule in sorted(schedules.SCHEDULES.items()):
        state = states.get(name)
        last = state.last_job if state else None
        recent = history.get(name, [])
        rows.append(
            {
                "name": name,
                "title": schedule.title,
                "when": schedule.describe,
                "next": state.next_run_at if state else None,
                "last": last,
                "recent": recent,
            }
        )
    return render(request, "core/schedule_list.html", {"rows": rows})


@require_POST
@permission_required("core.schedule.run")
def schedule_run(request, name):
    if name not in schedules.SCHEDULES:
        raise Http404
    job = schedules.run_now(name, actor=request.user)
    messages.success(request, _("Started: %(t)s") % {"t": job.title})
    return redirect(job_page(job))


# --- Health probes (unauthenticated, minimal output) ----------------------------------


@never_cache
@require_safe
def healthz(request):
    """The process is alive and answers."""
    return HttpResponse("ok\n", content_type="text/plain")


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("migrations")


def _check_cache():
    cache.set("kepu:readyz", "1", 10)
    if cache.get("kepu:readyz") != "1":
        raise RuntimeError("cache")


def _check_queue():
    if settings.TASK_BACKEND == "rq":
        import django_rq

        django_rq.get_connection("default").ping()
    elif settings.TASK_BACKEND == "db":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()


@never_cache
@require_safe
def readyz(request):
    """Ready to serve: the database answers with every migration applied, the cache and
    the queue are reachable. 503 names the failed check, nothing more."""
    failed = []
    for name, check in (
        ("database", _check_database),
        ("cache", _check_cache),
        ("queue", _check_queue),
    ):
        try:
            check()
        except Exception:
            failed.append(name)
    if failed:
        return HttpResponse(
            "not ready: " + ",".join(failed) + "\n", status=503, content_type="text/plain"
        )
    return HttpResponse("ready\n", content_type="text/plain")
