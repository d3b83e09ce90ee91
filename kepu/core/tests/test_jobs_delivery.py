"""How jobs reach a worker: the job class of the RQ worker can call the task (tested
without a Redis server), a worker's job starts and ends with a usable connection, and a
queued job whose delivery was lost (the enqueue failed, the queue was emptied, the task
ended without claiming it) is sent again. The whole path, with Redis, nginx and killed
workers and app servers, is `make cluster-test`."""

from datetime import timedelta

import pytest
import redis
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult
from rq.job import Job as PlainRQJob

from kepu.core import jobs
from kepu.core.management.commands import worker
from kepu.core.models import Job, JobStatus

pytestmark = pytest.mark.django_db

DB_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "bulk"]}
}

CALLS = []


@jobs.kind("tests.rq_probe", title="RQ probe")
def _probe(run):
    CALLS.append(run.job.pk)
    return {"ok": True}


def _rq_job(job_class, job_id: str):
    # A connection object that is never used: creating and running a job's function
    # does not talk to Redis.
    connection = redis.Redis(host="127.0.0.1", port=1)
    return job_class.create("kepu.core.jobs.run_job", args=[job_id], connection=connection)


def _queued_job() -> Job:
    return Job.objects.create(kind="tests.rq_probe", title="probe", params={})


def test_the_worker_runs_rq_jobs_with_a_class_that_calls_the_task():
    job = _queued_job()
    rq_job = _rq_job(import_string(worker.RQ_JOB_CLASS), str(job.pk))
    assert rq_job._execute() == "succeeded"
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result == {"ok": True}
    assert CALLS[-1] == job.pk


def test_rq_own_job_class_cannot_call_a_task():
    """Why the worker names the job class: with RQ's default every job failed in RQ
    and its Job row stayed queued."""
    job = _queued_job()
    with pytest.raises(TypeError, match="not callable"):
        _rq_job(PlainRQJob, str(job.pk))._execute()
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


def test_a_job_in_a_worker_starts_and_ends_with_a_checked_connection(monkeypatch):
    calls = []
    monkeypatch.setattr(jobs, "IN_WORKER", True)
    monkeypatch.setattr(jobs, "close_old_connections", lambda: calls.append("checked"))
    monkeypatch.setattr(jobs, "_Heartbeat", lambda run: _NoBeat())
    job = _queued_job()
    assert jobs.run_job.call(str(job.pk)) == "succeeded"
    assert calls == ["checked", "checked"]


class _NoBeat:
    def stop(self):
        pass


def _age(job: Job, minutes: int = 5) -> None:
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))


def test_a_job_whose_task_is_waiting_is_not_sent_again():
    with override_settings(TASKS=DB_QUEUE):
        job = jobs.start("tests.rq_probe")
        _age(job)
        assert jobs.resend_lost() == 0
        assert DBTaskResult.objects.count() == 1


def test_a_job_whose_queue_was_emptied_is_sent_again_and_runs_once():
    """Redis restarted without persistence: the Job row is queued, its task is gone."""
    with override_settings(TASKS=DB_QUEUE):
        job = jobs.start("tests.rq_probe")
        first_task = Job.objects.get(pk=job.pk).task_id
        DBTaskResult.objects.all().delete()
        assert jobs.resend_lost() == 0  # not yet: it may be on its way
        _age(job)
        assert jobs.resend_lost() == 1
        assert jobs.resend_lost() == 0  # the new task waits now
        job.refresh_from_db()
        assert job.task_id and job.task_id != first_task
        call_command("worker", "--batch", verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 1
    assert CALLS.count(job.pk) == 1


def test_a_job_whose_task_ended_without_claiming_it_is_sent_again():
    """The task ran while the database was away: it failed before claiming the row."""
    with override_settings(TASKS=DB_QUEUE):
        job = jobs.start("tests.rq_probe")
        DBTaskResult.objects.update(status="FAILED")
        _age(job)
        assert jobs.resend_lost() == 1
        call_command("worker", "--batch", verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


def test_a_failed_enqueue_after_the_commit_leaves_the_job_queued_for_resending(
    monkeypatch, django_capture_on_commit_callbacks
):
    """RQ: the task is sent once the transaction commits; Redis away then is no error
    page for work already committed, and the job is sent once Redis is back."""

    class Away:
        def using(self, **options):
            return self

        def enqueue(self, *args):
            raise redis.ConnectionError("redis away")

    monkeypatch.setattr(jobs, "_transactional", lambda: False)
    with override_settings(TASKS=DB_QUEUE):
        real = jobs.run_job
        monkeypatch.setattr(jobs, "run_job", Away())
        with django_capture_on_commit_callbacks(execute=True):
            job = jobs.start("tests.rq_probe")
        job.refresh_from_db()
        assert job.status == JobStatus.QUEUED and job.task_id == ""
        monkeypatch.setattr(jobs, "run_job", real)
        _age(job)
        with django_capture_on_commit_callbacks(execute=True):
            assert jobs.resend_lost() == 1
        call_command("worker", "--batch", verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


def test_a_deferred_retry_is_not_taken_for_lost():
    with override_settings(TASKS=DB_QUEUE):
        job = jobs.start("tests.rq_probe")
        DBTaskResult.objects.all().delete()
        _age(job)
        Job.objects.filter(pk=job.pk).update(run_after=timezone.now() + timedelta(minutes=1))
        assert jobs.resend_lost() == 0
