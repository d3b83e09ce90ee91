"""Demo selections and funded projects, replayed through the services (one module per
area, chained here): this year's 天府科普使者 call of 四川省 through nomination, the formal
check and the expert review with severity correction, ending at its panel meeting;
last year's excellent-works selection finished (公示 with an answered objection,
decided, certificates); a year of funded projects in every state. Idempotent: a part
whose call or projects exist is skipped."""

import datetime

from django.utils import timezone

from kepu.core import clock
from kepu.people.models import ExpertPool
from kepu.selections import choices as c
from kepu.selections.demo import calls, projects, results, review
from kepu.selections.models import Call, Project
from kepu.selections.services import calls as call_services

POOL = "四川省科普专家库"


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _panel_pool(name: str, size: int = 10):
    """A call's review group (评审专家组): `size` available members of the province's
    science expert pool, demo-expert first. A real call seats a group of this size, each
    expert scoring a dozen entries or more: enough scores per reviewer to estimate their
    severity (a pool of hundreds with one or two scores each leaves nothing to correct)."""
    from kepu.people import services as people
    from kepu.people.choices import PoolKind
    from kepu.people.models import Person

    found = ExpertPool.objects.filter(name=name).first()
    if found is not None:
        return found
    source = ExpertPool.objects.filter(name=POOL).first()
    if source is None:
        return None
    members = list(
        Person.objects.filter(
            pool_memberships__pool=source, pool_memberships__available=True,
            erased_at__isnull=True,
        ).order_by("pk")
    )  # fmt: skip
    members.sort(key=lambda p: getattr(p.user, "username", "") != "demo-expert")
    pool = people.create_pool(
        actor=None, name=name, kind=PoolKind.SCIENCE, region=source.region,
        description="从四川省科普专家库中遴选的本次评审专家。",
    )  # fmt: skip
    for person in members[:size]:
        people.add_pool_member(pool, person, actor=None)
    return pool


def _with_pool(call):
    pool = _panel_pool(f"{call.title}评审专家组")
    if pool is not None and call.pool_id is None:
        call = call_services.change_call(call, actor=None, pool=pool)
    return call


def _fit_pool(call):
    """A small demo (few people, so a small pool) asks fewer reviewers per entry: with
    the entry's own region avoided, about half the pool is free for each entry."""
    from kepu.selections.services.review import pool_reviewers

    free = max(1, len(pool_reviewers(call)) // 2)
    if free >= call.reviewers_per_entry:
        return call
    return call_services.change_call(
        call, actor=None, reviewers_per_entry=free, min_reviews=min(call.min_reviews, free)
    )


def _to_review(call, *, returned: int, rejected: int):
    """Open → formal check (most pass) → expert review."""
    call = call_services.advance_call(call, actor=None)  # checking
    calls.check_demo(call, returned=returned, rejected=rejected)
    return call_services.advance_call(call, actor=None)  # reviewing (returned ones lapse)


def tianfu(year: int) -> dict:
    if Call.objects.filter(kind=c.CallKind.HONOUR, year=year, honour="tianfu").exists():
        return {}
    call = _fit_pool(_with_pool(calls.open_tianfu_call(year)))
    entries = calls.nominate_demo(call, 16)
    call = _to_review(call, returned=2, rejected=1)
    out = review.review_demo(call, panel_size=3)
    return {"tianfu_call": call.pk, "tianfu_entries": len(entries), **out["summary"]}


def works(year: int) -> dict:
    """Last year's works selection, replayed on last year's dates."""
    if Call.objects.filter(kind=c.CallKind.WORKS, year=year).exists():
        return {}
    with clock.frozen(_at(datetime.date(year, 3, 6))):
        call = _fit_pool(_with_pool(calls.open_works_call(year)))
        calls.nominate_works_demo(call, 12)
    with clock.frozen(_at(datetime.date(year, 4, 8))):
        call = _to_review(call, returned=0, rejected=0)
    with clock.frozen(_at(datetime.date(year, 5, 12))):
        review.review_demo(call, seed=25)
    with clock.frozen(_at(datetime.date(year, 6, 20))):
        awarded = results.finish_works_selection(call)
    return {"works_call": call.pk, "works_awarded": len(awarded)}


def load_demo(size: int = 3000) -> dict:
    year = clock.today().year
    out = {}
    out.update(works(year - 1))
    out.update(tianfu(year))
    if not Project.objects.filter(year=year).exists():
        out["projects"] = len(projects.projects_demo(year))
    return out
