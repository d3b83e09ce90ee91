"""Background jobs and schedules: through HTTP with the personas, and through the real
database queue and worker (`manage.py worker --batch`), not only the inline backend the
rest of the suite uses."""

import datetime
import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from kepu.core import jobs, schedules
from kepu.core.errors import DomainError
from kepu.core.models import AuditEntry, ImportJob, Job, Organization, ScheduleState, User
from kepu.core.tests.test_excel import workbook

DB_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "bulk"]}
}
calls: list[str] = []


@jobs.kind("test.echo", title="echo", retries=2)
def _echo(run):
    calls.append(run.params.get("word", ""))
    for i in range(3):
        run.progress(i + 1, 3, f"step {i + 1}")
    return {"word": run.params.get("word", "")}


@jobs.kind("test.flaky", title="flaky", retries=1)
def _flaky(run):
    calls.append("flaky")
    if len([c for c in calls if c == "flaky"]) == 1:
        raise ConnectionError("smtp away")
    return {"ok": True}


@jobs.kind("test.refuse", title="refuse", retries=3)
def _refuse(run):
    calls.append("refuse")
    raise DomainError("不能执行")


@pytest.fixture(autouse=True)
def _calls():
    calls.clear()


def _officer():
    return User.objects.get(username="demo-county-a")


@pytest.mark.django_db
def test_a_job_runs_in_the_worker_of_the_database_queue():
    with override_settings(TASKS=DB_QUEUE):
        job = jobs.start("test.echo", actor=_officer(), params={"word": "hello"})
        assert Job.objects.get(pk=job.pk).status == "queued" and calls == []
        call_command("worker", "--batch", verbosity=0)
    job.refresh_from_db()
    assert calls == ["hello"]
    assert job.status == "succeeded" and job.result == {"word": "hello"}
    assert (job.done, job.total, job.attempts) == (3, 3, 1)
    assert job.started_at and job.finished_at and job.task_id
    actions = set(AuditEntry.objects.filter(object_id=str(job.pk)).values_list("action", flat=True))
    assert actions == {"core.job.started", "core.job.succeeded"}


@pytest.mark.django_db
def test_a_job_delivered_twice_runs_once():
    with override_settings(TASKS=DB_QUEUE):
        job = jobs.start("test.echo", params={"word": "once"})
        jobs.run_job.enqueue(str(job.pk))  # a duplicate delivery
        call_command("worker", "--batch", verbosity=0)
    assert calls == ["once"]
    assert jobs.execute(str(job.pk)) == "skipped"


@pytest.mark.django_db
def test_starting_the_same_work_twice_gives_one_job():
    first = jobs.start("test.echo", params={"word": "a"}, idem="test:same")
    second = jobs.start("test.echo", params={"word": "b"}, idem="test:same")
    assert first.pk == second.pk and calls == ["a"]
    assert Job.objects.filter(key="test:same").count() == 1


@pytest.mark.django_db
def test_a_crash_is_retried_with_backoff_and_a_refusal_is_not():
    with override_settings(TASKS=DB_QUEUE, JOB_RETRY_SECONDS=1):
        job = jobs.start("test.flaky")
        call_command("worker", "--batch", verbosity=0)
        job.refresh_from_db()
        assert job.status == "queued" and job.run_after > timezone.now()
        assert "ConnectionError" in job.error
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())  # time passes
        call_command("worker", "--batch", verbosity=0)
        job.refresh_from_db()
        assert job.status == "succeeded" and job.attempts == 2 and job.error == ""

        refused = jobs.start("test.refuse")
        call_command("worker", "--batch", verbosity=0)
    refused.refresh_from_db()
    assert refused.status == "failed" and refused.error == "不能执行" and refused.attempts == 1
    assert calls.count("refuse") == 1


@pytest.mark.django_db
def test_the_job_of_a_stopped_worker_is_put_back_then_given_up():
    job = Job.objects.create(kind="test.echo", title="echo", status="running", attempts=1)
    old = timezone.now() - timedelta(minutes=10)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=old)
    with override_settings(TASKS=DB_QUEUE):
        assert jobs.reap_stale() == {"requeued": 1, "failed": 0}
        call_command("worker", "--batch", verbosity=0)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.attempts == 2
    Job.objects.filter(pk=job.pk).update(status="running", heartbeat_at=old, attempts=3)
    assert jobs.reap_stale() == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == "failed" and job.error


@pytest.mark.django_db
def test_a_due_schedule_is_started_once_however_many_schedulers_tick():
    start = timezone.make_aware(datetime.datetime(2026, 12, 7, 1, 0))
    with override_settings(TASKS=DB_QUEUE):
        assert schedules.tick(start) == []  # first sight: the next run is set
        state = ScheduleState.objects.get(name="volunteering.escalate_orders")
        assert state.next_run_at == start + timedelta(hours=1)
        due = start + timedelta(hours=1, seconds=5)
        stale = ScheduleState.objects.get(name="volunteering.escalate_orders")
        assert len(schedules.tick(due)) >= 1
        # A second scheduler that read the state before the first claimed it: its
        # conditional UPDATE finds the run taken.
        won = ScheduleState.objects.filter(name=stale.name, next_run_at=stale.next_run_at)
        assert won.update(last_run_at=due) == 0
        assert schedules.tick(due) == []
    started = Job.objects.filter(schedule="volunteering.escalate_orders")
    assert started.count() == 1
    state.refresh_from_db()
    assert state.last_job_id == started.get().pk
    assert state.next_run_at == start + timedelta(hours=2)


def test_daily_schedules_run_at_their_local_time():
    daily = schedules.SCHEDULES["core.purge_audit"]
    moment = timezone.make_aware(datetime.datetime(2026, 12, 7, 3, 0))  # Beijing time
    nxt = timezone.localtime(daily.next_after(moment))
    assert (nxt.date(), nxt.hour, nxt.minute) == (datetime.date(2026, 12, 8), 2, 30)


def test_every_periodic_job_of_the_issue_is_declared():
    declared = {s.job for s in schedules.SCHEDULES.values()}
    assert {
        "volunteering.escalate_orders",
        "plans.reminders",
        "resources.reminders",
        "core.purge_audit",
        "core.purge_files",
        "core.rollups_check",
    } <= declared
    assert declared <= set(jobs.KINDS)


@pytest.mark.django_db
def test_an_import_is_checked_and_applied_as_jobs_and_a_double_confirm_imports_once(
    as_persona,
):
    client = as_persona("county_a")
    upload = workbook([["作业导入单位", "", "学校", "", "", "510104"]])
    response = client.post(
        reverse("core:import_start", args=["core.organization"]), {"file": upload}
    )
    imported = ImportJob.objects.get(
        original_name=upload.name, created_by__username="demo-county-a"
    )
    assert response.url == reverse("core:import_job", args=[imported.pk])
    check = Job.objects.get(key=f"import.check:{imported.pk}")
    assert check.status == "succeeded" and check.result["status"] == "validated"
    confirm = reverse("core:import_job_confirm", args=[imported.pk])
    client.post(confirm)
    again = client.post(confirm)
    assert again.status_code == 302
    assert Organization.objects.filter(name="作业导入单位").count() == 1
    apply = Job.objects.get(key=f"import.apply:{imported.pk}")
    assert apply.status == "succeeded" and apply.result["created"] == 1
    assert jobs.execute(str(apply.pk)) == "skipped"


@pytest.mark.django_db
def test_the_job_page_shows_progress_and_the_status_answers_json(as_persona):
    officer = _officer()
    job = Job.objects.create(
        kind="core.import.check", title="检查 people.xlsx", created_by=officer,
        status="running", done=25_000, total=100_000, message="正在检查",
    )  # fmt: skip
    client = as_persona("county_a")
    page = client.get(reverse("core:job_detail", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'value="25"' in html
    state = client.get(reverse("core:job_status", args=[job.pk])).json()
    assert state["percent"] == 25 and state["finished"] is False and state["message"] == "正在检查"
    assert "检查 people.xlsx" in client.get(reverse("core:home")).content.decode()
    assert as_persona("county_b").get(reverse("core:job_status", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_the_schedules_page_lists_every_schedule_and_runs_one_now(as_persona):
    admin = as_persona("sysadmin")
    page = admin.get(reverse("core:schedule_list")).content.decode()
    for name in schedules.SCHEDULES:
        assert name in page
    response = admin.post(reverse("core:schedule_run", args=["core.rollups_check"]))
    job = Job.objects.get(schedule="core.rollups_check")
    assert response.url == reverse("core:job_detail", args=[job.pk])
    assert job.status == "succeeded" and job.result["drifted"] == {}
    assert "core.rollups_check" in admin.get(reverse("core:schedule_list")).content.decode()


@pytest.mark.django_db
def test_health_probes_answer_without_a_login(client):
    assert client.get("/healthz").content == b"ok\n"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.content == b"ready\n"
    with override_settings(TASKS=DB_QUEUE, TASK_BACKEND="db"):
        assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_names_what_is_not_ready(client, monkeypatch):
    from kepu.core.views import jobs as views

    monkeypatch.setattr(views, "_check_cache", lambda: (_ for _ in ()).throw(RuntimeError()))
    response = client.get("/readyz")
    assert response.status_code == 503 and response.content == b"not ready: cache\n"


@pytest.mark.django_db
def test_expired_job_files_are_deleted_and_recent_ones_kept():
    from django.core.files.base import ContentFile

    from kepu.core import housekeeping

    old, recent = (
        Job.objects.create(kind="core.export", title=t, status="succeeded") for t in "ab"
    )
    for job in (old, recent):
        job.file.save(f"{job.title}.xlsx", ContentFile(b"x"), save=True)
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=30))
    Job.objects.filter(pk=recent.pk).update(finished_at=timezone.now())
    path = old.file.path
    run = jobs.JobRun(Job.objects.create(kind="core.purge_files", title="purge"))
    assert housekeeping.purge_files(run)["files"] == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.file and recent.file
    assert not os.path.exists(path)
