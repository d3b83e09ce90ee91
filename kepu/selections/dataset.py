"""Calls, entries, reviews and funded projects at benchmark scale (see `kepu.core.dataset`).

At province scale, about three years of the province's and its cities' work:
- this year's 天府科普使者 call of the province in expert review: 3,000 eligible entries
  from every city, five reviewers each from the province's expert pool, about 60 % of
  the reviews submitted (the demo expert's account holds some of them);
- one call in its 公示 with 100 candidates and some objections, and a few calls open
  or in the formal check with their entries;
- 40 decided calls of the last two years (about 12,000 entries, three reviews each,
  the awarded ones with certificate numbers and codes);
- 1,200 funded projects over three years in every state, with their budget lines,
  milestones, performance targets and disbursements.
Rows are in the states the services leave (counts, ranks and amounts agree)."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from kepu.core.dataset import Dataset
from kepu.core.models import Organization, Region
from kepu.core.querysets import subtree_bounds
from kepu.people.models import Person, PoolMembership
from kepu.rubrics.models import Rubric
from kepu.selections import choices as c
from kepu.selections.models import (
    BudgetLine,
    Call,
    Disbursement,
    Entry,
    Milestone,
    Objection,
    PerformanceTarget,
    Project,
    Review,
)

CURRENT_ENTRIES = 3_000
PAST_CALLS = 40
PAST_ENTRIES = 300
OPEN_CALLS = 20
OPEN_ENTRIES = 100
PROJECTS = 1_200
CRITERIA = (("deeds", 30), ("effect", 30), ("innovation", 20), ("influence", 20))
CATEGORIES = [
    {"code": "research", "label": "科研科普"},
    {"code": "grassroots", "label": "基层科普"},
]
KINDS = [c.CallKind.HONOUR, c.CallKind.WORKS, c.CallKind.COMPETITION]
STEPS = ("启动实施", "中期推进", "成果总结")
DISCIPLINES = ["110", "140", "150", "170", "180", "210", "310", "320", "410", "510", "520", "880"]


def _n(ds: Dataset, full: int, least: int = 1) -> int:
    return max(least, round(full * ds.factor))


def _rubric(ds: Dataset) -> Rubric:
    from kepu.rubrics import services
    from kepu.rubrics.choices import Method, Purpose

    name = "天府科普使者评选评分细则（基准数据）"
    found = Rubric.objects.filter(name=name).first()
    if found is not None:
        return found
    return services.create_rubric(
        actor=None, name=name, purpose=Purpose.SELECTION, region=ds.province, activate=True,
        criteria=[
            {"code": code, "group": "评选", "name": code, "weight": w, "method": Method.MANUAL}
            for code, w in CRITERIA
        ],
    )  # fmt: skip


class _Gen:
    def __init__(self, ds: Dataset):
        self.ds = ds
        self.rubric = _rubric(ds)
        low, high = subtree_bounds(ds.province.path)
        people = list(
            Person.objects.filter(
                region__path__gte=low, region__path__lt=high, erased_at__isnull=True
            )
            .order_by("pk")
            .values_list("pk", "region_id", "organization_id", "name")[:60_000]
        )
        ds.rng.shuffle(people)
        self.people = people
        members = PoolMembership.objects.filter(pool__region=ds.province, available=True)
        # One person may sit in several pools: distinct people, the first 300.
        self.reviewers = list(
            dict.fromkeys(members.order_by("pk").values_list("person_id", flat=True)[:1000])
        )[:300]
        if not self.reviewers:
            self.reviewers = [p[0] for p in people[-300:]]
        self.expert = (
            Person.objects.filter(user__username="demo-expert").values_list("pk", flat=True).first()
        )
        self.cities = {r.pk: r for r in ds.cities}
        self.region_city = dict(
            Region.objects.filter(path__gte=low, path__lt=high).values_list("pk", "path")
        )
        self.calls: list[dict] = []
        self.entries: list[dict] = []
        self.reviews: list[dict] = []
        self.objections: list[dict] = []
        self.call_ids = iter(ds.ids(Call, 200))
        self.entry_ids = iter(ds.ids(Entry, 40_000))
        self.review_ids = iter(ds.ids(Review, 200_000))

    def _call(self, *, title, kind, region, year, status, **more) -> dict:
        ds = self.ds
        opens = datetime.date(year, 3, 1)
        row = {
            "id": next(self.call_ids), "title": title, "kind": kind, "region_id": region.pk,
            "year": year, "categories": CATEGORIES, "subject_kind": c.SubjectKind.PERSON,
            "routes": [c.Route.REGION, c.Route.UNIT], "opens_on": opens,
            "closes_on": opens + datetime.timedelta(days=45), "rubric_id": self.rubric.pk,
            "reviewers_per_entry": 5, "min_reviews": 3, "status": status,
            "certificate_prefix": f"KP{year}-", "award_count": 100,
            "created_at": ds.now - datetime.timedelta(days=(ds.today.year - year) * 365 + 200),
        }  # fmt: skip
        row.update(more)
        self.calls.append(row)
        return row

    def _entries(self, call: dict, n: int, status_of, reviews: int, submitted_share: float):
        ds = self.ds
        chosen = ds.rng.sample(self.people, n)
        made = []
        for person, region, org, name in chosen:
            status = status_of()
            entry = {
                "id": next(self.entry_ids), "call_id": call["id"],
                "subject_kind": c.SubjectKind.PERSON, "person_id": person,
                "organization_id": org, "title": name,
                "category": ds.rng.choice(CATEGORIES)["code"],
                "discipline": ds.rng.choice(DISCIPLINES), "region_id": region,
                "route": ds.rng.choice((c.Route.REGION, c.Route.REGION, c.Route.UNIT)),
                "summary": "长期从事科普工作，组织开展科普活动，成效显著。",
                "status": status,
                "submitted_at": ds.now
                - datetime.timedelta(days=(ds.today.year - call["year"]) * 365 + 150),
            }  # fmt: skip
            made.append(entry)
            self._reviews(entry, reviews, submitted_share)
        scored = [e for e in made if e.get("raw_mean") is not None]
        scored.sort(key=lambda e: (-e["raw_mean"], e["id"]))
        for rank, e in enumerate(scored, 1):
            e["raw_rank"] = rank
            e["corrected"] = e["raw_mean"]
            e["corrected_rank"] = rank
            if e["status"] == c.EntryStatus.AWARDED:
                e["certificate_number"] = f"{call['certificate_prefix']}{rank:04d}"
                e["certificate_code"] = secrets.token_urlsafe(12)
        self.entries.extend(made)
        call["entry_count"] = n
        return made

    def _reviews(self, entry: dict, k: int, submitted_share: float) -> None:
        ds = self.ds
        totals = []
        for reviewer in ds.rng.sample(self.reviewers, min(k, len(self.reviewers))):
            done = ds.rng.random() < submitted_share
            row = {
                "id": next(self.review_ids), "entry_id": entry["id"], "reviewer_id": reviewer,
                "rubric_id": self.rubric.pk, "match": ds.rng.choice((0, 1, 3, 5)),
                "reason": "学科一致", "assigned_at": entry["submitted_at"],
            }  # fmt: skip
            if done:
                values = {code: ds.rng.randint(w // 2, w) for code, w in CRITERIA}
                total = sum(values.values())
                row.update(
                    values=values, lines={k_: str(v) for k_, v in values.items()},
                    total=Decimal(total), submitted_at=entry["submitted_at"],
                    grade="excellent" if total >= 90 else "good" if total >= 70 else "pass",
                )  # fmt: skip
                totals.append(total)
            self.reviews.append(row)
        entry["reviews_done"] = len(totals)
        if len(totals) >= 3:
            entry["raw_mean"] = (Decimal(sum(totals)) / len(totals)).quantize(Decimal("0.01"))

    def calls_and_entries(self) -> int:
        ds = self.ds
        year = ds.today.year
        E = c.EntryStatus
        # This year's 天府科普使者 call, in expert review.
        current = self._call(
            title=f"{year}年度天府科普使者评选", kind=c.CallKind.HONOUR, region=ds.province,
            year=year, status=c.CallStatus.REVIEWING, honour="tianfu",
            award_title=f"{year}年度天府科普使者",
        )  # fmt: skip
        before = len(self.reviews)
        self._entries(current, _n(ds, CURRENT_ENTRIES, 20), lambda: E.ELIGIBLE, 5, 0.6)
        if self.expert:  # the demo expert holds some of this call's reviews
            on_entry: dict[int, set] = {}
            for row in self.reviews[before:]:
                on_entry.setdefault(row["entry_id"], set()).add(row["reviewer_id"])
            for row in self.reviews[before : before + 150 : 5]:
                if self.expert in on_entry[row["entry_id"]]:
                    continue
                row["reviewer_id"] = self.expert
                row.pop("submitted_at", None)
                row.update(values={}, lines={}, total=None, grade="")
        # A call in its 公示.
        notice = self._call(
            title=f"{year}年度优秀科普作品评选", kind=c.CallKind.WORKS, region=ds.province,
            year=year, status=c.CallStatus.PUBLICITY, publicity_from=ds.today,
            publicity_to=ds.today + datetime.timedelta(days=6),
        )  # fmt: skip
        made = self._entries(notice, _n(ds, 100, 5), lambda: E.CANDIDATE, 3, 1.0)
        for e in made[: _n(ds, 40, 1)]:
            self.objections.append({
                "entry_id": e["id"], "name": "王某某", "phone_enc": "", "phone_hash": "",
                "phone_masked": "138****0000", "text": "该候选人事迹材料与实际不符，请核实。",
                "filed_at": ds.now, "status": "pending",
            })  # fmt: skip
        # Calls of the cities and counties, open or in the formal check.
        for i in range(_n(ds, OPEN_CALLS, 2)):
            city = ds.rng.choice(ds.cities)
            status = c.CallStatus.OPEN if i % 2 else c.CallStatus.CHECKING
            call = self._call(
                title=f"{city.name}{year}年度科普先进个人评选", kind=ds.rng.choice(KINDS),
                region=city, year=year, status=status,
            )  # fmt: skip
            in_city = [
                p
                for p in self.people[:8000]
                if self.region_city.get(p[1], "").startswith(city.path)
            ]
            picks = ds.rng.sample(in_city, min(len(in_city), _n(ds, OPEN_ENTRIES, 3)))
            for person, region, org, name in picks:
                self.entries.append({
                    "id": next(self.entry_ids), "call_id": call["id"],
                    "subject_kind": c.SubjectKind.PERSON, "person_id": person,
                    "organization_id": org, "title": name, "category": "grassroots",
                    "region_id": region, "route": c.Route.REGION,
                    "summary": "扎根基层开展科普服务。",
                    "status": ds.rng.choice((E.SUBMITTED, E.SUBMITTED, E.RETURNED, E.ELIGIBLE)),
                    "submitted_at": ds.moment(30),
                })  # fmt: skip
            call["entry_count"] = len(picks)
        # Decided calls of the last two years.
        for i in range(_n(ds, PAST_CALLS, 2)):
            y = year - 1 - i % 2
            region = ds.province if i % 4 == 0 else ds.rng.choice(ds.cities)
            call = self._call(
                title=f"{region.name}{y}年度科普评选（第{i + 1}批）", kind=KINDS[i % 3],
                region=region, year=y, status=c.CallStatus.DECIDED,
                decided_on=datetime.date(y, 11, 20), decision_number=f"科协发〔{y}〕{i + 10}号",
            )  # fmt: skip
            self._entries(
                call, _n(ds, PAST_ENTRIES, 5),
                lambda: E.AWARDED if ds.rng.random() < 0.3 else E.NOT_AWARDED, 3, 1.0,
            )  # fmt: skip
        ds.insert(Call, self.calls)
        ds.insert(Entry, self.entries)
        ds.insert(Review, self.reviews)
        ids = iter(ds.ids(Objection, len(self.objections)))
        ds.insert(Objection, [{"id": next(ids), **o} for o in self.objections])
        return len(self.calls) + len(self.entries) + len(self.reviews)

    def projects(self) -> int:
        ds = self.ds
        low, high = subtree_bounds(ds.province.path)
        units = list(
            Organization.objects.filter(region__path__gte=low, region__path__lt=high)
            .order_by("pk")
            .values_list("pk", "region_id")[:20_000]
        )
        n = _n(ds, PROJECTS, 10)
        P = c.ProjectStatus
        statuses = [P.APPROVED, P.CONTRACTED, P.CONTRACTED, P.ACCEPTANCE, P.ACCEPTED,
                    P.ACCEPTED, P.ACCEPTED, P.FAILED, P.TERMINATED]  # fmt: skip
        projects, lines, milestones, targets, payments = [], [], [], [], []
        pids = iter(ds.ids(Project, n))
        lids, mids = iter(ds.ids(BudgetLine, 3 * n)), iter(ds.ids(Milestone, 3 * n))
        tids, dids = iter(ds.ids(PerformanceTarget, 3 * n)), iter(ds.ids(Disbursement, 2 * n))
        for i in range(n):
            pk = next(pids)
            unit, region = ds.rng.choice(units)
            year = ds.today.year - i % 3
            level = c.ProjectLevel.KEY if i % 10 == 0 else c.ProjectLevel.GENERAL
            amount = Decimal(ds.rng.choice((30_000, 50_000, 80_000, 100_000)))
            if level == c.ProjectLevel.KEY:
                amount = Decimal(ds.rng.choice((150_000, 200_000, 300_000)))
            status = (
                statuses[i % len(statuses)]
                if year < ds.today.year
                else ds.rng.choice((P.APPROVED, P.CONTRACTED, P.CONTRACTED, P.ACCEPTANCE))
            )
            starts = datetime.date(year, 4, 1)
            ends = (
                datetime.date(year, 12, 31)
                if year < ds.today.year
                else ds.today + (datetime.timedelta(days=ds.rng.randint(-20, 200)))
            )
            is_open = status in c.OPEN_PROJECT_STATUSES
            mode = c.FundingMode.AFTER if i % 3 else c.FundingMode.PREFUNDED
            paid = Decimal(0)
            if status == P.ACCEPTED or (mode == c.FundingMode.PREFUNDED and status != P.APPROVED):
                paid = amount if status == P.ACCEPTED else (amount / 2).quantize(Decimal("1"))
            due = None
            for j in range(3):
                due_on = starts + datetime.timedelta(days=60 * (j + 1))
                done = not is_open or ds.rng.random() < 0.6
                milestones.append({
                    "id": next(mids), "project_id": pk, "title": STEPS[j],
                    "due_on": due_on, "done_on": due_on if done else None,
                })  # fmt: skip
                if is_open and not done and due is None:
                    due = due_on
            for cat, share in (("materials", 40), ("publication", 35), ("labour", 25)):
                lines.append({
                    "id": next(lids), "project_id": pk, "category": cat,
                    "amount": (amount * share / 100).quantize(Decimal("0.01")),
                })  # fmt: skip
            for kind, indicator, unit_label, target in (
                (c.TargetKind.OUTPUT, "开展科普活动场次", "场", 20),
                (c.TargetKind.EFFECT, "受众人次", "人次", 5000),
                (c.TargetKind.SATISFACTION, "受众满意度", "%", 90),
            ):
                targets.append({
                    "id": next(tids), "project_id": pk, "kind": kind, "indicator": indicator,
                    "unit": unit_label, "target": Decimal(target),
                    "actual": None if is_open else Decimal(target) * Decimal("1.05"),
                })  # fmt: skip
            if paid:
                payments.append({
                    "id": next(dids), "project_id": pk, "amount": paid,
                    "paid_on": ends if status == P.ACCEPTED else starts, "voucher": f"ZF{pk:06d}",
                })  # fmt: skip
            projects.append({
                "id": pk, "title": f"{year}年度科普专项项目{pk:05d}",
                "number": f"{year}-KP-{pk:04d}",
                "organization_id": unit, "region_id": region, "year": year,
                "project_type": ds.rng.choice(c.ProjectType.values), "level": level,
                "funding_mode": mode, "approved_amount": amount, "disbursed": paid,
                "contract_number": "" if status == P.APPROVED else f"HT{year}{pk:05d}",
                "contract_signed_on": None if status == P.APPROVED else starts,
                "starts_on": starts, "ends_on": ends,
                "next_due": (due or ends) if is_open else None,
                "audience": 0 if is_open else ds.rng.randint(2000, 20000), "status": status,
                "accepted_on": ends if status == P.ACCEPTED else None,
                "created_at": ds.now - datetime.timedelta(days=(ds.today.year - year) * 365),
            })  # fmt: skip
        ds.insert(Project, projects)
        ds.insert(BudgetLine, lines)
        ds.insert(Milestone, milestones)
        ds.insert(PerformanceTarget, targets)
        ds.insert(Disbursement, payments)
        return len(projects)


def generate(ds: Dataset) -> None:
    gen = _Gen(ds)
    ds.step("selections calls and entries", gen.calls_and_entries)
    ds.step("funded projects", gen.projects)
    ds.move_sequences(Call, Entry, Review, Objection, Project, BudgetLine, Milestone,
                      PerformanceTarget, Disbursement)  # fmt: skip
