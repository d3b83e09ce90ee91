"""The last-mile push at province scale (issue 25: "push to 20,000 recipients enqueued
≤ 2 s and delivered by the workers with 0 lost"). Run in-process on the bench database
(Django set up by the caller, e.g. bench/measure.py):

- `push_to_province()` activates a drill incident of the province (rows written directly:
  the bench measures the push, not the activation), pushes one published entry of the
  emergency library to every channel of the whole province and times `create_push`
  (counting the recipients, recording the push, enqueuing the job);
- then delivers it: in-process with the job's own function (`jobs.execute`, what a
  worker runs) or, with `workers=N`, by N `manage.py worker --batch` processes on the
  bulk queue; the wall time from enqueue to delivered;
- counts in the database: deliveries == expected, no target twice, the reach tallies
  equal to the rows; the incident is deleted afterwards (cascade), so the dataset stays
  as generated.

Returns one JSON-able dict. `python bench/emergency_push.py` prints it (kepu.settings)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 20_000


def _incident():
    from kepu.core import clock
    from kepu.core.models import Region
    from kepu.emergency.models import Incident, IncidentRegion

    province = Region.objects.get(code="51")
    now = clock.now()
    incident = Incident.objects.create(
        title="基准测试：全省应急科普推送演练",
        hazard="earthquake",
        level=1,
        region=province,
        started_at=now,
        activated_at=now,
        is_drill=True,
    )
    IncidentRegion.objects.create(incident=incident, region=province)
    return incident, province


def push_to_province(*, workers: int = 0, env: dict | None = None) -> dict:
    from django.db.models import Count, Sum

    from kepu.core import jobs
    from kepu.emergency import choices as c
    from kepu.emergency.models import Delivery, Push, ReachTally
    from kepu.emergency.services import pushes
    from kepu.resources.choices import ResourceStatus
    from kepu.resources.models import Resource

    resource = (
        Resource.objects.filter(is_emergency=True, status=ResourceStatus.PUBLISHED)
        .order_by("pk")
        .first()
    )
    if resource is None:
        return {"error": "no published entry of the emergency library in the dataset"}
    incident, province = _incident()
    try:
        started = time.perf_counter()
        push = pushes.create_push(
            incident,
            actor=None,
            title="基准测试推送",
            message="请转发到辖区各群。",
            resources=[resource],
            channels=list(c.Channel.values),
            regions=[province],
        )
        enqueue_seconds = time.perf_counter() - started
        by_channel = {ch: pushes.count_recipients(ch, [province]) for ch in c.Channel.values}
        started = time.perf_counter()
        if workers:
            processes = [
                subprocess.Popen(
                    [sys.executable, "manage.py", "worker", "-v0", "--batch", "--queues", "bulk"],
                    cwd=ROOT,
                    env=env or dict(os.environ),
                    stdout=sys.stderr,  # the caller's stdout is the JSON result
                )
                for _ in range(workers)
            ]
            for process in processes:
                process.wait(timeout=1800)
        elif push.job_id:
            jobs.execute(str(push.job_id))
        deliver_seconds = time.perf_counter() - started
        push = Push.objects.get(pk=push.pk)
        rows = Delivery.objects.filter(push=push)
        written = rows.count()
        distinct = rows.values("target").distinct().count()
        raw = rows.aggregate(n=Count("pk"))["n"]
        tallied = ReachTally.objects.filter(incident=incident).aggregate(n=Sum("deliveries"))["n"]
        return {
            "recipients_by_channel": by_channel,
            "expected": push.expected,
            "target": TARGET,
            "enough_recipients": push.expected >= TARGET,
            "create_push_seconds": round(enqueue_seconds, 3),
            "create_push_within_2s": enqueue_seconds <= 2.0,
            "deliver_seconds": round(deliver_seconds, 2),
            "workers": workers or "in-process",
            "status": push.status,
            "delivered": push.delivered,
            "deliveries_written": written,
            "lost": push.expected - written,
            "duplicated_targets": written - distinct,
            "tallies_match_rows": tallied == raw,
        }
    finally:
        incident.delete()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kepu.settings")
    import django

    django.setup()
    workers = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    print(json.dumps(push_to_province(workers=workers), ensure_ascii=False))
