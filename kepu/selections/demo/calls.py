"""Demo of the calls area, through its services: this year's 天府科普使者 call of 四川省,
nominations from several cities and counties, the formal check of most of them; and an
excellent-works call. The lead's loader chains these with the other areas' demos."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from kepu.core import clock
from kepu.core.errors import DomainError
from kepu.core.models import Region
from kepu.people.choices import RegistrationStatus
from kepu.selections import choices as c
from kepu.selections.models import Call, Entry
from kepu.selections.services import calls as call_services
from kepu.selections.services import entries as entry_services
from kepu.selections.services.eligibility import eligibility_errors

PDF = b"%PDF-1.4\n% demo nomination form\n"
TIANFU_CATEGORIES = [
    {"code": "research", "label": "科研科普"},
    {"code": "grassroots", "label": "基层科普"},
    {"code": "media", "label": "科普传播"},
]
WORKS_CATEGORIES = [
    {"code": "book", "label": "图书"},
    {"code": "video", "label": "短视频"},
    {"code": "exhibition", "label": "展览"},
]


def _province() -> Region:
    return Region.objects.get(code="51")


def selection_rubric(name="天府科普使者评选评分细则"):
    """The province's selection rubric: the review area's preset when merged
    (`presets.tianfu_envoy_criteria`), else a simple one of the same shape."""
    from kepu.rubrics import choices as rc
    from kepu.rubrics.models import Rubric
    from kepu.rubrics.services import create_rubric

    found = Rubric.objects.filter(name=name, status=rc.RubricStatus.IN_USE).first()
    if found is not None:
        return found
    try:
        from kepu.selections.presets import tianfu_envoy_criteria

        criteria = tianfu_envoy_criteria()
    except ImportError:
        criteria = [
            dict(code="deeds", group="事迹", name="科普工作业绩", weight=40,
                 method=rc.Method.MANUAL),
            dict(code="reach", group="成效", name="受众覆盖与影响", weight=30,
                 method=rc.Method.MANUAL),
            dict(code="innovation", group="成效", name="创新与示范", weight=30,
                 method=rc.Method.MANUAL),
        ]  # fmt: skip
    return create_rubric(
        actor=None, name=name, purpose=rc.Purpose.SELECTION, region=_province(),
        criteria=criteria, activate=True,
    )  # fmt: skip


def _window(year):
    today = clock.today()
    opens = today - datetime.timedelta(days=5) if today.year == year else datetime.date(year, 3, 1)
    return opens, opens + datetime.timedelta(days=30)


def open_tianfu_call(year: int) -> Call:
    """This year's 天府科普使者 call of 四川省, opened."""
    opens, closes = _window(year)
    call = call_services.create_call(
        actor=None, region=_province(), kind=c.CallKind.HONOUR,
        title=f"{year}年度“天府科普使者”推选", year=year, honour="tianfu",
        award_title="天府科普使者",
        description="为表彰在科学普及工作中做出突出贡献的个人，开展年度“天府科普使者”推选。"
        "各市（州）科协按名额推荐并排序，省级学会、高校、院所可单位推荐，"
        "也可个人自荐。",
        categories=TIANFU_CATEGORIES, routes=[c.Route.REGION, c.Route.UNIT, c.Route.SELF],
        eligibility={
            "min_registered_years": 2, "within_region": True, "no_open_flag": True,
            "max_previous_awards": 0,
        },
        quotas={"per_region": {"default": 5, "5101": 8}, "per_category": {}, "per_unit": 2},
        materials=[
            {"code": "form", "label": "推荐表", "required": True},
            {"code": "deeds", "label": "事迹材料", "required": True},
            {"code": "proof", "label": "佐证材料", "required": False},
        ],
        opens_on=opens, closes_on=closes, check_by=closes + datetime.timedelta(days=14),
        review_by=closes + datetime.timedelta(days=35), rubric=selection_rubric(),
        reviewers_per_entry=5, min_reviews=3, avoid_same_region=True, award_count=30,
        publicity_days=7, certificate_prefix=f"TFKP-{year}-",
    )  # fmt: skip
    return call_services.advance_call(call, actor=None)


def open_works_call(year: int) -> Call:
    """An excellent science-popularization works selection (图书 / 短视频 / 展览), opened."""
    opens, closes = _window(year)
    call = call_services.create_call(
        actor=None, region=_province(), kind=c.CallKind.WORKS,
        title=f"{year}年度四川省优秀科普作品评选", year=year, subject_kind=c.SubjectKind.WORK,
        categories=WORKS_CATEGORIES, routes=[c.Route.UNIT, c.Route.SELF, c.Route.REGION],
        eligibility={"within_region": True, "no_open_flag": True},
        quotas={"per_region": {"default": 6}, "per_category": {"video": 40}},
        materials=[
            {"code": "work", "label": "作品文件或样书扫描", "required": True},
            {"code": "form", "label": "申报表", "required": True},
        ],
        opens_on=opens, closes_on=closes, check_by=closes + datetime.timedelta(days=10),
        rubric=selection_rubric("优秀科普作品评选评分细则"), reviewers_per_entry=3,
        min_reviews=2, award_count=20, publicity_days=5, certificate_prefix=f"SCZP-{year}-",
    )  # fmt: skip
    return call_services.advance_call(call, actor=None)


def _files(call):
    return {
        m["code"]: SimpleUploadedFile(f"{m['label']}.pdf", PDF, content_type="application/pdf")
        for m in call.materials
        if m.get("required")
    }


def candidates(call, limit=400):
    """People of the province with a certified registration, from several cities."""
    from kepu.people.models import Person

    return (
        Person.objects.filter(
            region__path__startswith=call.region.path, erased_at__isnull=True,
            registrations__status=RegistrationStatus.CERTIFIED,
        )
        .filter(~Q(region__path=call.region.path))
        .select_related("region", "organization")
        .distinct()
        .order_by("region__path", "pk")[:limit]
    )  # fmt: skip


def _county_of(region):
    """The county (or the city itself) recommending for a person of `region`."""
    parts = [p for p in (region.path or "").split("/") if p]
    code = parts[2] if len(parts) > 2 else parts[-1]
    return Region.objects.filter(code=code).first() or region


def nominate_demo(call, n: int) -> list[Entry]:
    """Up to `n` region recommendations from several cities and counties (spread across
    regions, eligible people only, within each region's quota), through `nominate`."""
    people = list(candidates(call))
    by_region: dict[str, list] = {}
    for p in people:
        by_region.setdefault(p.region.path, []).append(p)
    ordered = []
    while any(by_region.values()) and len(ordered) < n * 3:
        for key in list(by_region):
            if by_region[key]:
                ordered.append(by_region[key].pop(0))
    made = []
    categories = [i["code"] for i in call.categories] or [""]
    for person in ordered:
        if len(made) >= n:
            break
        if eligibility_errors(call, person=person):
            continue
        try:
            made.append(
                entry_services.nominate(
                    call,
                    actor=None,
                    route=c.Route.REGION,
                    person=person,
                    category=categories[len(made) % len(categories)],
                    summary=f"{person.name}长期扎根基层开展科普讲座和科技志愿服务，"
                    "年均开展活动二十余场。",
                    materials=_files(call),
                    nominating_region=_county_of(person.region),
                )  # fmt: skip
            )
        except DomainError:  # quota used, or already nominated: the next one
            continue
    return made


def nominate_works_demo(call, n: int) -> list[Entry]:
    """Works by one or two authors each, recommended by their county."""
    people = list(candidates(call, limit=n * 2))
    made = []
    for i in range(0, len(people) - 1, 2):
        if len(made) >= n:
            break
        authors = people[i : i + 2]
        cat = WORKS_CATEGORIES[len(made) % len(WORKS_CATEGORIES)]
        try:
            made.append(
                entry_services.nominate(
                    call,
                    actor=None,
                    route=c.Route.REGION,
                    title=f"《身边的科学》{cat['label']}第{len(made) + 1}辑",
                    category=cat["code"],
                    members=authors,
                    summary="面向青少年的原创科普作品，已在本地广泛传播。",
                    materials=_files(call),
                    nominating_region=_county_of(authors[0].region),
                )  # fmt: skip
            )
        except DomainError:
            continue
    return made


def check_demo(call, *, returned=3, rejected=1) -> dict:
    """The formal check of the submitted entries: most pass, a few are returned for
    completion, one is rejected."""
    counts = {"pass": 0, "return": 0, "reject": 0}
    rows = list(call.entries.filter(status=c.EntryStatus.SUBMITTED).order_by("pk"))
    for i, entry in enumerate(rows):
        if i < rejected:
            result, note = "reject", "推荐材料与事迹不符，不符合推选条件。"
        elif i < rejected + returned:
            result, note = "return", "缺少佐证材料（活动照片、报道），请补充后重新提交。"
        else:
            result, note = "pass", ""
        entry_services.check_entry(entry, actor=None, result=result, note=note)
        counts[result] += 1
    return counts
