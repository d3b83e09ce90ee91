"""Emergency science communication at benchmark scale (see `kepu.core.dataset`): at
province scale about 300 incidents over five years (most closed, about one in ten a
drill, a few still open), their affected counties, expert groups of 5–9 drawn from the
emergency and health pools (declines with their replacements, duty shifts that never
overlap for one expert), pushes with about 200,000 deliveries and the reach tallies that
sum them, 20,000 rumour leads (a third in normal times), 5,000 rebuttals with reviews
that agree with their status, and 2,000 expert answers.

Rows are written in the states the services leave: a closed incident has its closing
time, an accepted expert answered, a push's `delivered` is the number of its deliveries
(and equals `expected` once delivered), a published rebuttal has its experts' approvals.
The rumors area's rollup counters are rebuilt from the raw rows by `ds.finish()`."""

from __future__ import annotations

import datetime
import hashlib

from kepu.core.dataset import Dataset
from kepu.core.search import search_text
from kepu.emergency import choices as c
from kepu.emergency.models import (
    Delivery,
    DutyShift,
    ExpertAnswer,
    GroupMember,
    Incident,
    IncidentRegion,
    Push,
    ReachTally,
    Rebuttal,
    RebuttalReview,
    Rumor,
)

INCIDENTS = 300
DELIVERIES = 200_000
RUMORS = 20_000
REBUTTALS = 5_000
ANSWERS = 2_000
YEARS = 5
OPEN = 4  # incidents still open at province scale (real ones; one more is a drill)
DRILL_SHARE = 0.1
LEVEL_WEIGHTS = {1: 2, 2: 8, 3: 30, 4: 60}
HAZARD_WEIGHTS = {"earthquake": 25, "flood": 30, "geohazard": 20, "epidemic": 10, "fire": 8,
                  "weather": 7}  # fmt: skip
HAZARD_NAMES = {
    "earthquake": "地震",
    "flood": "洪涝",
    "geohazard": "地质灾害",
    "epidemic": "传染病疫情",
    "fire": "森林火灾",
    "weather": "暴雨",
}
CLAIMS = {
    "earthquake": ["今晚还有更大地震", "地震云预示余震", "某水库大坝出现裂缝", "自来水被污染不能喝",
                   "灾区物资被倒卖"],
    "flood": ["上游水库即将泄洪", "洪水过后井水可以直接喝", "某桥梁已经垮塌", "安置点不收外地人",
              "洪水里有鳄鱼出没"],
    "geohazard": ["整座山要塌了", "滑坡区可以回家取东西", "某镇已全部撤离", "泥石流会连续爆发七天"],
    "epidemic": ["喝白酒能预防感染", "某医院已经停诊", "疫苗会导致不孕", "吃大蒜可以杀死病毒"],
    "fire": ["山火已经烧到县城", "灭火飞机不能起飞", "烟雾会导致癌症"],
    "weather": ["明天有百年一遇暴雨", "暴雨期间不能用手机", "气象台预报都是错的"],
}  # fmt: skip
NORMAL_CLAIMS = ["手机辐射致癌", "隔夜菜致癌", "吃芒果会中毒", "微波炉加热食物有毒",
                 "转基因食品会改变基因", "喝醋能软化血管", "WiFi信号伤害儿童大脑"]  # fmt: skip
CHANNELS = [c.Channel.TEAM, c.Channel.INFO_OFFICER, c.Channel.COMMUNITY, c.Channel.MEMBER_UNIT]
REBUTTAL_STATES = (
    (c.RebuttalStatus.PUBLISHED, 82),
    (c.RebuttalStatus.WITHDRAWN, 3),
    (c.RebuttalStatus.APPROVED, 3),
    (c.RebuttalStatus.IN_REVIEW, 6),
    (c.RebuttalStatus.DRAFT, 6),
)
APPROVED_NOTE = "科学表述准确，同意发布。"
H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)


def _n(ds: Dataset, full: int, least: int = 1) -> int:
    return max(least, round(full * ds.factor))


def _key(claim: str) -> str:
    return hashlib.sha256(" ".join(claim.split()).encode()).hexdigest()


class _State:
    """What the steps share: the incidents as generated, the experts available."""

    def __init__(self):
        self.incidents: list[dict] = []
        self.regions: dict[int, list] = {}  # incident id → affected counties
        self.accepted: dict[int, list] = {}  # incident id → accepted person ids
        self.experts: list[tuple[int, int]] = []  # (person id, pool id)
        self.rumors: list[dict] = []


def _incidents(ds: Dataset, st: _State) -> int:
    n = _n(ds, INCIDENTS, 6)
    n_open = max(1, round(OPEN * max(ds.factor, 0.25)))
    hazards, hazard_weights = list(HAZARD_WEIGHTS), list(HAZARD_WEIGHTS.values())
    levels, level_weights = list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values())
    counties_by_city: dict[str, list] = {}
    for county in ds.counties:
        counties_by_city.setdefault(county.code[:4], []).append(county)
    cities = {city.code: city for city in ds.cities}
    rows, affected = [], []
    affected_ids = iter(ds.ids(IncidentRegion, n * 4))
    for i, pk in enumerate(ds.ids(Incident, n)):
        is_open = i < n_open + 1  # the newest: open (one of them a drill)
        is_drill = i == n_open or (not is_open and ds.rng.random() < DRILL_SHARE)
        hazard = ds.rng.choices(hazards, hazard_weights)[0]
        level = ds.rng.choices(levels, level_weights)[0]
        county = ds.county()
        city = cities.get(county.code[:4]) or ds.province
        region = ds.province if level <= 2 else city
        pool = counties_by_city.get(county.code[:4], [county])
        hit = {county.pk: county}
        for other in ds.rng.sample(pool, min(len(pool), ds.rng.randint(0, 3))):
            hit[other.pk] = other
        if is_open:
            activated = ds.now - datetime.timedelta(
                days=ds.rng.randint(0, 6), hours=ds.rng.randint(1, 8)
            )
        else:
            activated = ds.moment(365 * YEARS) - datetime.timedelta(days=40)
        started = activated - datetime.timedelta(minutes=ds.rng.randint(20, 240))
        closed = None if is_open else activated + datetime.timedelta(days=ds.rng.randint(3, 30))
        year = activated.year
        place = county.name
        title = f"{year}年{place}{HAZARD_NAMES[hazard]}应急科普{'演练' if is_drill else '响应'}"
        row = {
            "id": pk,
            "title": title[:120],
            "hazard": hazard,
            "level": level,
            "region_id": region.pk,
            "summary": f"{place}发生{HAZARD_NAMES[hazard]}，启动{level}级应急科普响应。",
            "started_at": started,
            "status": c.IncidentStatus.RESPONDING if is_open else c.IncidentStatus.CLOSED,
            "is_drill": is_drill,
            "activated_at": activated,
            "responding_at": activated + datetime.timedelta(minutes=ds.rng.randint(20, 120)),
            "closed_at": closed,
            "lessons": "" if is_open else "专家响应及时；乡镇信息员签收偏慢，需提前建立联络名单。",
        }
        rows.append(row)
        st.incidents.append(row)
        st.regions[pk] = list(hit.values())
        for r in hit.values():
            affected.append({"id": next(affected_ids), "incident_id": pk, "region_id": r.pk})
    return ds.insert(Incident, rows) + ds.insert(IncidentRegion, affected)


def _groups(ds: Dataset, st: _State) -> int:
    from kepu.people.models import PoolMembership

    pools: dict[int, int] = {}  # person → one of their pools (a person is once per group)
    for person, pool in (
        PoolMembership.objects.filter(pool__kind__in=("emergency", "health"))
        .order_by("pk")
        .values_list("person_id", "pool_id")[:20_000]
    ):
        pools.setdefault(person, pool)
    st.experts = list(pools.items())
    if not st.experts:
        return 0
    members, shifts = [], []
    member_ids = iter(ds.ids(GroupMember, len(st.incidents) * 12))
    shift_ids = iter(ds.ids(DutyShift, len(st.incidents) * 12))
    duty: dict[int, list] = {}  # person → their shifts (no two groups at the same hour)
    for inc in st.incidents:
        t0 = inc["activated_at"]
        size = ds.rng.randint(5, 9)
        chosen = ds.rng.sample(st.experts, min(len(st.experts), size + 3))
        accepted = []
        picked = {}
        for rank, (person, pool) in enumerate(chosen[:size]):
            picked[person] = True
            pk = next(member_ids)
            declined = ds.rng.random() < 0.15
            answered = t0 + ds.rng.randint(10, 180) * M
            row = {
                "id": pk, "incident_id": inc["id"], "person_id": person, "pool_id": pool,
                "status": c.MemberStatus.DECLINED if declined else c.MemberStatus.ACCEPTED,
                "is_lead": rank == 0 and not declined, "rank": rank,
                "score": round(1 - rank / 10, 2), "reasons": {"topic": True, "load": 0},
                "proposed_at": t0 + M, "invited_at": t0 + 5 * M, "responded_at": answered,
                "responded_via": c.Via.SELF,
                "decline_reason": "正在外地出差" if declined else "",
            }  # fmt: skip
            members.append(row)
            if declined:  # the platform proposes a replacement, who accepts
                spare = next((p for p in chosen[size:] if p[0] not in picked), None)
                if spare is not None:
                    picked[spare[0]] = True
                    members.append({
                        **row, "id": next(member_ids), "person_id": spare[0], "pool_id": spare[1],
                        "status": c.MemberStatus.ACCEPTED, "is_lead": False, "rank": rank + 20,
                        "replaces_id": pk, "proposed_at": answered + M,
                        "invited_at": answered + 5 * M, "responded_at": answered + 40 * M,
                        "decline_reason": "",
                    })  # fmt: skip
                    accepted.append((members[-1]["id"], spare[0]))
            else:
                accepted.append((pk, person))
        st.accepted[inc["id"]] = [person for _pk, person in accepted]
        for member_pk, person in accepted[:3]:
            start = t0 + ds.rng.randint(1, 6) * H
            end = start + ds.rng.choice((4, 6, 8)) * H
            if any(s < end and start < e for s, e in duty.get(person, ())):
                continue
            duty.setdefault(person, []).append((start, end))
            shifts.append({"id": next(shift_ids), "member_id": member_pk, "person_id": person,
                           "starts_at": start, "ends_at": end})  # fmt: skip
    return ds.insert(GroupMember, members) + ds.insert(DutyShift, shifts)


def _pushes(ds: Dataset, st: _State) -> int:
    from kepu.resources.models import Resource

    library = list(
        Resource.objects.published()
        .filter(is_emergency=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:3000]
    )
    total = _n(ds, DELIVERIES, 50)
    per_incident = max(5, total // len(st.incidents))
    pushes, links, places, deliveries, tallies = [], [], [], [], []
    push_ids = iter(ds.ids(Push, len(st.incidents) * 6))
    link_ids = iter(ds.ids(Push.resources.through, len(st.incidents) * 6 * 4))
    place_ids = iter(ds.ids(Push.regions.through, len(st.incidents) * 6 * 4))
    delivery_ids = iter(ds.ids(Delivery, len(st.incidents) * (per_incident * 2 + 60)))
    tally_ids = iter(ds.ids(ReachTally, len(st.incidents) * 4))
    for inc in st.incidents:
        t0 = inc["activated_at"]
        counties = st.regions[inc["id"]]
        n_pushes = ds.rng.randint(2, 6)
        sizes = [max(1, round(per_incident * ds.rng.uniform(0.5, 1.5) / n_pushes))
                 for _ in range(n_pushes)]  # fmt: skip
        reach: dict[int, list] = {}
        for k, size in enumerate(sizes):
            pk = next(push_ids)
            created = t0 + (30 + k * ds.rng.randint(60, 600)) * M
            acked = 0
            for j in range(size):
                county = counties[j % len(counties)]
                ack = ds.rng.random() < 0.7
                groups = ds.rng.randint(0, 12) if ack else 0
                people = ds.rng.randint(20, 1500) if ack else 0
                channel = CHANNELS[j % len(CHANNELS)]
                deliveries.append({
                    "id": next(delivery_ids), "push_id": pk, "incident_id": inc["id"],
                    "channel": channel, "target": f"region:{county.code}:{j}",
                    "name": f"{county.name}第{j + 1}号接收方", "region_id": county.pk,
                    "delivered_at": created + ds.rng.randint(1, 20) * M,
                    "acknowledged_at": created + ds.rng.randint(30, 600) * M if ack else None,
                    "acknowledged_via": c.Via.SELF if ack else "",
                    "groups_forwarded": groups, "people_reached": people,
                })  # fmt: skip
                acked += ack
                tally = reach.setdefault(county.pk, [0, 0, 0, 0])
                tally[0] += 1
                tally[1] += ack
                tally[2] += groups
                tally[3] += people
            pushes.append({
                "id": pk, "incident_id": inc["id"],
                "title": f"{HAZARD_NAMES[inc['hazard']]}防范知识第{k + 1}批",
                "message": "请及时转发至本辖区各微信群和村（社区）广播。",
                "channels": [str(ch) for ch in CHANNELS], "status": c.PushStatus.DELIVERED,
                "expected": size, "delivered": size, "acknowledged": acked,
                "created_at": created, "delivered_at": created + 25 * M,
            })  # fmt: skip
            for resource in ds.rng.sample(library, min(len(library), ds.rng.randint(1, 4))):
                links.append({"id": next(link_ids), "push_id": pk, "resource_id": resource})
            for county in counties[:4]:
                places.append({"id": next(place_ids), "push_id": pk, "region_id": county.pk})
        for region_id, (n, acked, groups, people) in reach.items():
            tallies.append({
                "id": next(tally_ids), "incident_id": inc["id"], "region_id": region_id,
                "deliveries": n, "acknowledged": acked, "groups_forwarded": groups,
                "people_reached": people,
            })  # fmt: skip
    return (
        ds.insert(Push, pushes)
        + ds.insert(Push.resources.through, links)
        + ds.insert(Push.regions.through, places)
        + ds.insert(Delivery, deliveries)
        + ds.insert(ReachTally, tallies)
    )


def _rumors(ds: Dataset, st: _State) -> int:
    n = _n(ds, RUMORS, 30)
    rows, seen = [], set()
    statuses = [c.RumorStatus.NEW, c.RumorStatus.DUPLICATE, c.RumorStatus.OUT_OF_SCOPE,
                c.RumorStatus.NEEDS_REBUTTAL]  # fmt: skip
    first_of: dict = {}
    for pk in ds.ids(Rumor, n):
        inc = ds.rng.choice(st.incidents) if ds.rng.random() < 0.66 else None
        if inc is not None:
            region = ds.rng.choice(st.regions[inc["id"]])
            claim = f"{region.name}{ds.rng.choice(CLAIMS[inc['hazard']])}"
            closes = inc["closed_at"] or ds.now
            reported = inc["activated_at"] + (closes - inc["activated_at"]) * ds.rng.random() ** 3
        else:
            region = ds.place()
            claim = ds.rng.choice(NORMAL_CLAIMS)
            reported = ds.moment(365 * YEARS)
        scope_key = inc["id"] if inc else None
        if (scope_key, _key(claim)) in seen:
            claim = f"{claim}（{ds.rng.choice(['微信群', '短视频', '朋友圈', '论坛'])}{pk}）"
        seen.add((scope_key, _key(claim)))
        status = ds.rng.choices(statuses, (8, 10, 7, 75))[0]
        duplicate_of = first_of.get(scope_key) if status == c.RumorStatus.DUPLICATE else None
        if status == c.RumorStatus.DUPLICATE and duplicate_of is None:
            status = c.RumorStatus.NEEDS_REBUTTAL
        row = {
            "id": pk, "incident_id": scope_key, "claim": claim, "claim_key": _key(claim),
            "topic": inc["hazard"] if inc else "health", "region_id": region.pk,
            "source": ds.rng.choice(c.RumorSource.values), "seen_on": "微信群",
            "reported_at": reported, "report_count": ds.rng.choice((1, 1, 1, 2, 3, 5)),
            "status": status, "duplicate_of_id": duplicate_of,
            "triaged_at": None if status == c.RumorStatus.NEW else reported + 20 * M,
            "is_drill": bool(inc and inc["is_drill"]), "search_text": search_text(claim),
        }  # fmt: skip
        first_of.setdefault(scope_key, pk)
        rows.append(row)
    st.rumors = rows
    return ds.insert(Rumor, rows)


def _rebuttals(ds: Dataset, st: _State) -> int:
    wanted = _n(ds, REBUTTALS, 10)
    candidates = [r for r in st.rumors if r["status"] == c.RumorStatus.NEEDS_REBUTTAL][:wanted]
    pool = [p for p, _pool in st.experts] or []
    rebuttals, reviews = [], []
    states, weights = [s for s, _w in REBUTTAL_STATES], [w for _s, w in REBUTTAL_STATES]
    review_ids = iter(ds.ids(RebuttalReview, len(candidates) * 2))
    published_rumors = []
    for pk, rumor in zip(ds.ids(Rebuttal, len(candidates)), candidates, strict=False):
        status = ds.rng.choices(states, weights)[0]
        reported = rumor["reported_at"]
        submitted = reported + ds.rng.randint(20, 120) * M
        decided = submitted + ds.rng.randint(20, 240) * M
        published = decided + ds.rng.randint(5, 600) * M
        if published > ds.now:
            status = c.RebuttalStatus.APPROVED if status != c.RebuttalStatus.DRAFT else status
        experts = st.accepted.get(rumor["incident_id"]) or pool
        needed = 2 if len(experts) >= 2 and ds.rng.random() < 0.3 else 1
        title = f"“{rumor['claim'][:40]}”不实"
        body = (
            f"网传“{rumor['claim']}”。经专家组研判，该说法没有科学依据，"
            "请以官方发布为准，不信谣、不传谣。"
        )
        was_published = status in (c.RebuttalStatus.PUBLISHED, c.RebuttalStatus.WITHDRAWN)
        rebuttals.append({
            "id": pk, "rumor_id": rumor["id"], "incident_id": rumor["incident_id"],
            "region_id": rumor["region_id"], "title": title[:120], "body": body,
            "status": status, "approvals_required": needed, "review_hours": 4,
            "created_at": reported + 10 * M,
            "submitted_at": None if status == c.RebuttalStatus.DRAFT else submitted,
            "published_at": published if was_published else None,
            "seconds_to_publish": int((published - reported).total_seconds())
            if was_published else None,
            "is_drill": rumor["is_drill"], "search_text": search_text(title, body),
        })  # fmt: skip
        if was_published:
            published_rumors.append(rumor["id"])
        if status == c.RebuttalStatus.DRAFT or not experts:
            continue
        for person in ds.rng.sample(experts, min(needed, len(experts))):
            decision = (
                c.ReviewDecision.PENDING
                if status == c.RebuttalStatus.IN_REVIEW
                else c.ReviewDecision.APPROVED
            )
            reviews.append({
                "id": next(review_ids), "rebuttal_id": pk, "person_id": person,
                "due_at": submitted + 4 * H, "decision": decision,
                "comment": "" if decision == c.ReviewDecision.PENDING else APPROVED_NOTE,
                "decided_at": None if decision == c.ReviewDecision.PENDING else decided,
                "round": 1,
            })  # fmt: skip
    count = ds.insert(Rebuttal, rebuttals) + ds.insert(RebuttalReview, reviews)
    Rumor.objects.filter(pk__in=published_rumors).update(status=c.RumorStatus.REBUTTED)
    return count


def _answers(ds: Dataset, st: _State) -> int:
    n = _n(ds, ANSWERS, 5)
    with_experts = [inc for inc in st.incidents if st.accepted.get(inc["id"])]
    if not with_experts:
        return 0
    rows = []
    for pk in ds.ids(ExpertAnswer, n):
        inc = ds.rng.choice(with_experts)
        name = HAZARD_NAMES[inc["hazard"]]
        closes = inc["closed_at"] or ds.now
        rows.append({
            "id": pk, "incident_id": inc["id"],
            "question": f"{name}期间家里老人和孩子要注意什么？",
            "answer": f"{name}期间请关注官方预警，提前准备应急包，老人和孩子不要单独外出。",
            "person_id": ds.rng.choice(st.accepted[inc["id"]]),
            "published_at": inc["activated_at"] + (closes - inc["activated_at"]) * ds.rng.random(),
        })  # fmt: skip
    return ds.insert(ExpertAnswer, rows)


def generate(ds: Dataset) -> None:
    st = _State()
    ds.step("emergency incidents", lambda: _incidents(ds, st))
    ds.step("emergency groups", lambda: _groups(ds, st))
    ds.step("emergency pushes", lambda: _pushes(ds, st))
    ds.step("emergency rumours", lambda: _rumors(ds, st))
    ds.step("emergency rebuttals", lambda: _rebuttals(ds, st))
    ds.step("emergency answers", lambda: _answers(ds, st))
    ds.move_sequences(
        Incident, IncidentRegion, GroupMember, DutyShift, Push, Push.resources.through,
        Push.regions.through, Delivery, ReachTally, Rumor, Rebuttal, RebuttalReview,
        ExpertAnswer,
    )  # fmt: skip
