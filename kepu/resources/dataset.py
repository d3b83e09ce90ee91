"""The resource catalog at benchmark scale (see `kepu.core.dataset`): `ds.size("resources")`
entries of the seven types, with the demo's titles, texts and map points (the demo's entry
builders, on the dataset's random source, regions and units).

Most entries are published the way `services.decide` leaves them: a listing number, a
review-by date two years after publication, one approved version (`data` as
`services.to_data` stores it) whose experts filed their reviews, the tags, the search
text, and the timeline events (created, submitted, checked, reviewed, published). After
publication some were edited and republished (a superseded and an approved version),
reminded and renewed, left past or near their review-by date, suspended, reinstated or
withdrawn. A share is in every step of the workflow — a draft, submitted, in expert review
(experts of `ds.experts`, none with a conflict of interest; the demo expert among them),
returned, rejected — both as first applications and as edits of published entries. The
persona counties 510104 and 510703, the demo member unit (demo-member) and the demo
volunteer (an individual applicant) have entries in every state.

No attachments (there are no files), no audit entries.
"""

from __future__ import annotations

import datetime
import itertools
from collections import Counter
from types import SimpleNamespace

from django.conf import settings
from django.utils import timezone, translation

from kepu.core.dataset import Dataset, new_uuid
from kepu.core.models import Organization, Region, User
from kepu.core.search import search_text
from kepu.people.demo import GIVEN, SURNAMES
from kepu.people.models import MembershipTopic, Person, PoolMembership
from kepu.resources import choices as c
from kepu.resources import services
from kepu.resources.dataset_content import (
    _AUTO,
    ACCURATE,
    EMERGENCY_SHARE,
    EV,
    HOURS,
    INCOMPLETE,
    INDIVIDUAL_SHARE,
    MEMBER_STATES,
    NOTES,
    PERSONA_COUNTIES,
    PUBLISH_ANYWAY,
    PUBLISHED_STATES,
    REJECT,
    REJECT_NOTE,
    RENEW_SHARE,
    RETURN_NOTE,
    REVISE,
    REVISIONS,
    RT,
    STATES,
    SUSPEND,
    TYPES,
    VOLUNTEER_STATES,
    VS,
    WITHDRAW,
    WORKFLOW,
    _Builder,
    _Org,
    _Where,
)
from kepu.resources.demo import _Demo
from kepu.resources.models import (
    Resource,
    ResourceEvent,
    ResourceTag,
    ResourceVersion,
    ReviewAssignment,
)


class _Generator:
    def __init__(self, ds: Dataset):
        self.ds = ds
        self.rng = ds.rng
        self.limit = ds.now  # every step happened before the dataset's "now"
        self.years = services.review_years()
        regions = [ds.province, *ds.cities, *ds.counties]
        regions += [t for towns in ds.townships.values() for t in towns]
        self.regions = {r.code: r for r in regions}
        self.where: dict[int, _Where] = {}
        self.rural: dict[int, list[Region]] = {}
        for r in regions:
            full = "".join(self.regions[code].name for code in r.path.strip("/").split("/"))
            self.where[r.pk] = _Where(r, full)
        self.org_names = dict(
            Organization.objects.filter(
                region__path__startswith=f"{ds.province.code}/"
            ).values_list("pk", "name")
        )
        self.builder = _Builder(ds, self.org_names)
        users = dict(
            User.objects.filter(
                username__in=[
                    "demo-province",
                    "demo-city",
                    "demo-county-a",
                    "demo-county-b",
                    "demo-member",
                    "demo-volunteer",
                    "demo-expert",
                ]
            ).values_list("username", "pk")
        )
        self.users = users
        # The applicants' own units (an expert working there may not review their entry).
        self.applicant_orgs = dict(
            Person.objects.filter(user_id__in=users.values()).values_list(
                "user_id", "organization_id"
            )
        )
        self.officers = [
            ("51/5101/510104/", users.get("demo-county-a")),
            ("51/5107/510703/", users.get("demo-county-b")),
            ("51/5101/", users.get("demo-city")),
            ("51/", users.get("demo-province")),
        ]
        self._experts()
        self.checked: set[str] = set()
        self.tokens: dict[str, str] = {}
        self.texts = 0
        self.verdicts = {value: str(label) for value, label in c.Verdict.choices}
        probe = SimpleNamespace(pk=123, resource_type=RT.WORK, region=ds.province)
        year = timezone.localdate().year
        assert services.listing_number_for(probe) == self.listing_number(
            123, RT.WORK, ds.province, year
        ), "services.listing_number_for changed"
        self.resources: list[dict] = []
        self.versions: list[dict] = []
        self.tags: list[dict] = []
        self.assignments: list[dict] = []
        self.events: list[dict] = []
        self.resource_ids = iter(ds.ids(Resource, ds.size("resources") + 200))
        self.version_ids = iter(ds.ids(ResourceVersion, 10 * ds.size("resources") + 2000))
        self.tag_ids = iter(ds.ids(ResourceTag, 20 * ds.size("resources") + 4000))
        self.assignment_ids = iter(ds.ids(ReviewAssignment, 20 * ds.size("resources") + 4000))
        self.event_ids = iter(ds.ids(ResourceEvent, 60 * ds.size("resources") + 20000))

    # --- experts ----------------------------------------------------------------------

    def _experts(self):
        """The pool memberships of `ds.experts` and of the demo expert (created with
        its membership by the demo's helper when the registry has none for it), by the
        region path of their pool; the resource's own unit rules an expert out."""
        # The demo's helper creates them through the ORM: the id sequences must be past
        # the ids the generators inserted (`Dataset.finish` moves them only at the end).
        self.ds.move_sequences(Person, PoolMembership, MembershipTopic)
        demo_memberships = _Demo.experts(self.builder)
        demo_user = self.users.get("demo-expert")
        self.demo_expert = None
        for m in demo_memberships:
            if m.person.user_id == demo_user:
                self.demo_expert = (m.person_id, m.pool_id, m.person.organization_id, demo_user)
        experts = set(getattr(self.ds, "experts", []))
        rows = (
            PoolMembership.objects.filter(pool__is_active=True)
            .order_by("pk")
            .values_list(
                "person_id", "pool_id", "pool__region__path", "available", "person__organization_id"
            )
        )
        self.pools: dict[str, list[tuple]] = {}
        for person, pool, path, available, org in rows:
            if person in experts:
                self.pools.setdefault(path, []).append((person, pool, org, available))
        self._eligible: dict[str, tuple[list, list]] = {}

    def eligible(self, path: str) -> tuple[list, list]:
        """(all, available) memberships of the pools kept at or above region `path`."""
        key = "/".join(path.split("/")[:2])
        if key not in self._eligible:
            members = [m for p, ms in self.pools.items() if path.startswith(p) for m in ms]
            self._eligible[key] = (members, [m for m in members if m[3]])
        return self._eligible[key]

    def reviewers(self, e: dict, n: int, *, open_review: bool) -> list[tuple]:
        """`n` experts (person, pool, user) without a conflict of interest."""
        everyone, available = self.eligible(e["path"])
        candidates = available if open_review else everyone
        chosen: dict[int, tuple] = {}
        blocked = {e["org"], e["applicant_org"]} - {None}
        share = self.demo_share_open if open_review else self.demo_share_filed
        if self.demo_expert and self.rng.random() < share:
            person, pool, org, user = self.demo_expert
            if org is None or org not in blocked:
                chosen[person] = (person, pool, user)
        tries = 0
        while candidates and len(chosen) < n and tries < 10 * n:
            tries += 1
            person, pool, org, _available = self.rng.choice(candidates)
            if person in chosen or (org is not None and org in blocked):
                continue
            chosen[person] = (person, pool, None)
        return list(chosen.values())

    # --- time -------------------------------------------------------------------------

    def _day(self, lo: int, hi: int) -> datetime.datetime:
        r = self.rng.random
        day = self.limit - datetime.timedelta(days=lo + int(r() * (hi - lo + 1)))
        return day.replace(hour=8 + int(r() * 11), minute=int(r() * 60))

    def later(self, t: datetime.datetime, lo: int, hi: int) -> datetime.datetime:
        """A moment `lo`–`hi` days after `t` in office hours, never at or after the
        dataset's now (squeezed in between when it would be)."""
        r = self.rng.random  # (faster than randint, which this is called a million times)
        at = t + datetime.timedelta(days=lo + int(r() * (hi - lo + 1)))
        at = at.replace(hour=8 + int(r() * 11), minute=int(r() * 60))
        if at <= t:
            at = t + datetime.timedelta(minutes=5 + int(r() * 236))
        if at >= self.limit:
            at = t + (self.limit - t) * self.rng.uniform(0.2, 0.9)
        return at

    # --- rows -------------------------------------------------------------------------

    def event(self, e, action, at, *, actor=None, version=None, note=""):
        self.events.append(
            {
                "id": next(self.event_ids),
                "resource_id": e["id"],
                "version_id": version["id"] if version else None,
                "action": action,
                "actor_id": actor,
                "note": note,
                "at": at,
            }
        )

    def officer(self, path: str):
        for prefix, user in self.officers:
            if user and path.startswith(prefix):
                return user
        return None

    def new_version(self, e, number, data, at, *, edit: bool, note: str = ""):
        version = {
            "id": next(self.version_ids),
            "resource_id": e["id"],
            "number": number,
            "data": data,
            "status": VS.DRAFT,
            "note": note,
            "created_by_id": e["created_by"],
            "created_at": at,
            "submitted_at": None,
            "checked_at": None,
            "checked_by_id": None,
            "decided_at": None,
            "decided_by_id": None,
            "decision_note": "",
        }
        self.versions.append(version)
        self.event(e, EV.EDITED if edit else EV.CREATED, at, actor=e["created_by"], version=version)
        return version

    def cycle(self, e, v, t, outcome: str) -> datetime.datetime:
        """Take version `v` from its draft at `t` through the workflow to `outcome`
        (submitted, incomplete, in_review, approved, returned, rejected), as the services
        do; returns the time of the last step."""
        rng = self.rng
        applicant, officer = e["created_by"], e["officer"]
        t = self.later(t, 0, 3)
        v["submitted_at"] = t
        v["note"] = v["note"] or rng.choice(NOTES)
        self.event(e, EV.SUBMITTED, t, actor=applicant, version=v)
        if outcome == "submitted":
            v["status"] = VS.SUBMITTED
            return t
        # About one application in ten is first sent back as incomplete.
        if outcome == "incomplete" or rng.random() < 0.1:
            t = self.later(t, 1, 5)
            note = rng.choice(INCOMPLETE[e["type"]])
            v.update(checked_at=t, checked_by_id=officer, decision_note=note)
            self.event(e, EV.INCOMPLETE, t, actor=officer, version=v, note=note)
            if outcome == "incomplete":
                v["status"] = VS.RETURNED
                return t
            t = self.later(t, 1, 10)
            self.event(e, EV.EDITED, t, actor=applicant, version=v)
            t = self.later(t, 0, 1)
            v["submitted_at"] = t
            self.event(e, EV.SUBMITTED, t, actor=applicant, version=v)
        t = self.later(t, 1, 6)
        v.update(status=VS.IN_REVIEW, checked_at=t, checked_by_id=officer)
        self.event(e, EV.CHECKED, t, actor=officer, version=v)
        due = t.date() + datetime.timedelta(days=14)
        open_review = outcome == "in_review"
        experts = self.reviewers(e, rng.choice((2, 2, 2, 3)), open_review=open_review)
        if open_review:
            # Some experts have filed, some not yet; a share is ready to decide.
            roll = rng.random()
            n_filed = 0 if roll < 0.45 else len(experts) if roll < 0.7 else 1
        else:
            n_filed = len(experts)
        verdicts = [c.Verdict.ACCURATE] * len(experts)
        if outcome == "approved" and experts and rng.random() < 0.08:
            verdicts[-1] = c.Verdict.REVISE
        elif outcome == "returned" and experts:
            verdicts[0] = c.Verdict.REVISE
        elif outcome == "rejected" and experts:
            verdicts[0] = c.Verdict.REJECT
            if len(experts) > 1 and rng.random() < 0.5:
                verdicts[1] = c.Verdict.REVISE
        elif open_review and experts and rng.random() < 0.1:
            verdicts[0] = c.Verdict.REVISE
        last = t
        for i, (person, pool, user) in enumerate(experts):
            filed = i < n_filed and not (open_review and user is not None and rng.random() < 0.8)
            row = {
                "id": next(self.assignment_ids),
                "version_id": v["id"],
                "reviewer_id": person,
                "pool_id": pool,
                "assigned_by_id": officer,
                "assigned_at": t,
                "due_date": due,
                "facts_correct": None,
                "sources_reliable": None,
                "fits_audience": None,
                "verdict": "",
                "comments": "",
                "submitted_at": None,
            }
            if filed:
                verdict = verdicts[i]
                at = self.later(t, 1, 16)
                last = max(last, at)
                row.update(verdict=verdict, submitted_at=at)
                if verdict == c.Verdict.ACCURATE:
                    row.update(facts_correct=True, sources_reliable=True, fits_audience=True)
                    row["comments"] = rng.choice(ACCURATE)
                else:
                    ok = [True, True, True]
                    ok[rng.randrange(3)] = False
                    if verdict == c.Verdict.REJECT:
                        ok[0] = False
                    row.update(facts_correct=ok[0], sources_reliable=ok[1], fits_audience=ok[2])
                    row["comments"] = rng.choice(REVISE if verdict == c.Verdict.REVISE else REJECT)
                self.event(e, EV.REVIEWED, at, actor=user, version=v, note=self.verdicts[verdict])
            self.assignments.append(row)
        if open_review:
            return last
        t = self.later(last, 0, 4)
        v.update(decided_at=t, decided_by_id=officer)
        if outcome == "approved":
            note = PUBLISH_ANYWAY if any(x != c.Verdict.ACCURATE for x in verdicts) else ""
            v.update(status=VS.APPROVED, decision_note=note)
            self.event(e, EV.PUBLISHED, t, actor=officer, version=v, note=note)
        elif outcome == "returned":
            note = rng.choice(RETURN_NOTE)
            v.update(status=VS.RETURNED, decision_note=note)
            self.event(e, EV.RETURNED, t, actor=officer, version=v, note=note)
        else:
            note = rng.choice(REJECT_NOTE)
            v.update(status=VS.REJECTED, decision_note=note)
            self.event(e, EV.REJECTED, t, actor=officer, version=v, note=note)
        return t

    # --- one entry --------------------------------------------------------------------

    def content(self, rtype, org, content, *, individual: bool):
        """The content as `services` keeps it: every content field (those not of the
        type empty, by `services.set_fields`), and the tag lists."""
        if individual and rtype == RT.WORK:
            content["authors"] = self.rng.choice(SURNAMES) + "".join(
                self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2)))
            )
        hazards = content.get("hazards") or []
        content["is_emergency"] = bool(hazards) and self.rng.random() < EMERGENCY_SHARE
        where = content["region"]
        content["region"] = where.region if isinstance(where, _Where) else where
        own = _OWN[rtype]
        full = {
            name: content.get(name, empty) if name in own else empty
            for name, empty in _EMPTY.items()
        }
        if rtype not in self.checked:  # the same as `services.set_fields`, once per type
            resource = Resource(resource_type=rtype)
            services.set_fields(resource, content)
            same = {name: getattr(resource, name) for name in Resource.CONTENT_FIELDS}
            assert full == same, (full, same)
            self.checked.add(rtype)
        for name in services.TAG_LISTS:
            full[name] = sorted(set(content.get(name) or []))
        return full

    def search_text(self, *fields) -> str:
        """`kepu.core.search.search_text` of the fields, each distinct field value cut
        into tokens once (many entries share summaries, keywords, authors and owners);
        checked against the function itself now and then."""
        parts = []
        for value in fields:
            if value:
                tokens = self.tokens.get(value)
                if tokens is None:
                    tokens = self.tokens[value] = search_text(value)
                parts.append(tokens)
        text = " | ".join(parts)
        self.texts += 1
        if self.texts % 499 == 1:
            assert text == search_text(*fields), fields
        return text

    def revised(self, rtype, content) -> tuple[dict, str]:
        """An edit of published content: a revision noted in the description (and new
        opening hours for a place)."""
        change = self.rng.choice(REVISIONS)
        new = dict(content)
        description = content.get("description") or ""
        new["description"] = f"{description}{change}" if description else change
        if rtype == RT.PLACE:
            new["opening_hours"] = self.rng.choice(HOURS)
        return new, change

    def add(self, rtype, org, content, state, *, created_by=None, since=None):
        rng = self.rng
        individual = org is None and rtype != RT.POLICY
        live = self.content(rtype, org, content, individual=individual)
        region = live["region"]
        e = {
            "id": next(self.resource_ids),
            "type": rtype,
            "org": org.pk if org else None,
            "applicant_org": self.applicant_orgs.get(created_by),
            "path": region.path,
            "created_by": created_by,
            "officer": self.officer(region.path),
        }
        row = {
            "id": e["id"],
            "uid": new_uuid(rng),
            "resource_type": rtype,
            "organization_id": e["org"],
            "created_by_id": created_by,
            "status": c.ResourceStatus.DRAFT,
        }
        published = state in PUBLISHED_STATES or state in ("suspended", "withdrawn")
        if published:
            days = 20 + int(1480 * rng.random() ** 1.4)
            if state in ("republished", "reinstated", "suspended", "withdrawn"):
                days = max(days, 150)
            created = self._day(days, days)
        elif state == "draft":
            created = self._day(1, 90)
        elif state == "submitted":
            created = self._day(3, 15)
        elif state == "in_review":
            created = self._day(8, 40)
        elif state == "returned":
            created = self._day(15, 120)
        else:  # rejected
            created = self._day(30, 700)
        if since is not None:  # a policy is listed after it is issued
            created = max(created, self._at(since + datetime.timedelta(days=rng.randint(5, 40))))
        row["created_at"] = created
        data = services.to_data(live)
        v1 = self.new_version(e, 1, data, created, edit=False)
        updated = created
        if not published:
            if state == "draft":
                if rng.random() < 0.4:
                    updated = self.later(created, 0, 5)
                    self.event(e, EV.EDITED, updated, actor=created_by, version=v1)
            else:
                outcome = "incomplete" if state == "returned" and rng.random() < 0.5 else state
                last = self.cycle(e, v1, created, outcome)
                if state == "rejected":
                    row["status"] = c.ResourceStatus.REJECTED
                    updated = last
        else:
            t = self.cycle(e, v1, created, "approved")
            row.update(
                status=c.ResourceStatus.PUBLISHED,
                published_at=t,
                review_by=services.add_years(t.date(), self.years),
                live_version=1,
            )
            updated = t
            age = (self.limit - t).days
            if state == "republished" and age > 120:
                edit_at = self.later(t, 60, max(61, min(age - 45, 600)))
                live, change = self.revised(rtype, live)
                v2 = self.new_version(e, 2, services.to_data(live), edit_at, edit=True, note=change)
                t = self.cycle(e, v2, edit_at, "approved")
                v1["status"] = VS.SUPERSEDED
                row.update(review_by=services.add_years(t.date(), self.years), live_version=2)
                updated = t
            elif state.startswith("edit_"):
                stage = state.removeprefix("edit_")
                days = {"draft": (1, 60), "submitted": (3, 15), "in_review": (8, 40)}.get(
                    stage, (15, 120)
                )
                edit_at = max(self._day(*days), self.later(t, 1, 5))
                new, change = self.revised(rtype, live)
                v2 = self.new_version(e, 2, services.to_data(new), edit_at, edit=True, note=change)
                if stage != "draft":
                    outcome = "incomplete" if stage == "returned" and rng.random() < 0.5 else stage
                    self.cycle(e, v2, edit_at, outcome)
            if state in ("suspended", "withdrawn", "reinstated"):
                t = self.later(t, 30, max(31, age - 1))
                if state != "withdrawn" or rng.random() < 0.3:
                    reason = rng.choice(SUSPEND)
                    row["status"], row["status_reason"] = c.ResourceStatus.SUSPENDED, reason
                    self.event(e, EV.SUSPENDED, t, actor=e["officer"], note=reason)
                    updated = t
                    if state == "reinstated":
                        t = self.later(t, 10, 90)
                        row["status"], row["status_reason"] = c.ResourceStatus.PUBLISHED, ""
                        self.event(e, EV.REINSTATED, t, actor=e["officer"])
                        updated = t
                if state == "withdrawn":
                    t = self.later(t, 5, 120)
                    reason = rng.choice(WITHDRAW)
                    row["status"], row["status_reason"] = c.ResourceStatus.WITHDRAWN, reason
                    self.event(e, EV.WITHDRAWN, t, actor=e["officer"], note=reason)
                    updated = t
            if row["status"] == c.ResourceStatus.PUBLISHED:
                updated = max(updated, self.upkeep(e, row, t))
            row["listing_number"] = self.listing_number(
                e["id"], rtype, region, row["published_at"].year
            )
        row.update({name: live[name] for name in _FIELDS})
        row["region_id"] = region.pk
        owner = self.org_names.get(e["org"], "") if e["org"] else ""
        row["search_text"] = self.search_text(*(row[f] for f in Resource.TEXT_FIELDS), owner)
        row["updated_at"] = updated
        self.resources.append(row)
        self.tags.extend(
            {"id": next(self.tag_ids), "resource_id": e["id"], "kind": kind, "code": code}
            for name, kind in services.TAG_LISTS.items()
            for code in live[name]
        )

    def upkeep(self, e, row, t) -> datetime.datetime:
        """The review-by reminders (the daily job, 60 days ahead) and the renewals of a
        published entry since `t`; returns the last change of the entry."""
        days = getattr(settings, "KEPU_RESOURCE_REMIND_DAYS", 60)
        updated = t
        while True:
            remind = datetime.datetime.combine(
                row["review_by"] - datetime.timedelta(days=days), datetime.time(6, 0)
            ).replace(tzinfo=t.tzinfo)
            if remind >= self.limit:
                return updated
            remind = max(remind, t + datetime.timedelta(hours=1))
            row["reminded_at"] = remind
            self.event(e, EV.REMINDED, remind, note=str(row["review_by"]))
            renew = remind + datetime.timedelta(days=self.rng.randint(3, 100))
            renew = renew.replace(hour=self.rng.randint(8, 18), minute=self.rng.randrange(60))
            if renew >= self.limit or self.rng.random() > RENEW_SHARE:
                return updated
            row["review_by"] = services.add_years(renew.date(), self.years)
            row["reminded_at"] = None
            self.event(e, EV.RENEWED, renew, actor=e["officer"])
            updated = t = renew

    @staticmethod
    def listing_number(pk, rtype, region, year) -> str:
        """`services.listing_number_for` in the year of publication (checked against it
        when the generator starts)."""
        return f"KP{region.code[:2]}-{year}-{c.TYPE_LETTER[rtype]}{pk:06d}"

    def _at(self, day: datetime.date) -> datetime.datetime:
        at = datetime.datetime.combine(day, datetime.time(self.rng.randint(8, 18))).replace(
            tzinfo=self.limit.tzinfo
        )
        return min(at, self.limit - datetime.timedelta(days=1))

    # --- the catalog ------------------------------------------------------------------

    def run(self) -> int:
        ds, rng, b = self.ds, self.rng, self.builder
        n = ds.size("resources")
        # Planned first, so the demo expert's share of the reviews can be set.
        plan: list[tuple] = []  # (rtype, where, state, owner, created_by)
        members = Organization.objects.filter(name="四川省教育厅").values_list("pk", "name")
        member = members.first()
        if member and self.users.get("demo-member"):
            for state in MEMBER_STATES:
                rtype = rng.choice((RT.WORK, RT.WORK, RT.INFORMATION, RT.PRODUCT))
                where = self.where[ds.province.pk]
                plan.append((rtype, where, state, _Org(*member), self.users["demo-member"]))
        if self.users.get("demo-volunteer"):
            county = self.regions["510104"]
            for state in VOLUNTEER_STATES:
                where = self.where[county.pk]
                plan.append((RT.WORK, where, state, None, self.users["demo-volunteer"]))
        for code in PERSONA_COUNTIES:
            county = self.regions[code]
            for state in [*WORKFLOW, *WORKFLOW, *["published"] * 6, "republished", "reinstated"]:
                rtype = self.rtype()
                plan.append((rtype, self.spot(county, rtype), state, _AUTO, None))
        fixed = 5 + 13  # the demo's seed policies and famous heritage sites
        states = [s for s, _w in STATES]
        cum = list(itertools.accumulate(w for _s, w in STATES))
        for _ in range(max(0, n - len(plan) - fixed)):
            rtype, county = self.rtype(), ds.county()
            if rtype == RT.POLICY and rng.random() < 0.3:  # a city's policy
                where = self.where[county.parent_id]
            else:
                where = self.spot(county, rtype)
            plan.append((rtype, where, rng.choices(states, cum_weights=cum)[0], _AUTO, None))
        counts = Counter(p[2] for p in plan)
        reviewing = counts["in_review"] + counts["edit_in_review"]
        # The demo expert: about 30 reviews waiting, about 150 filed, whatever the scale.
        self.demo_share_open = min(1.0, 30 / max(1, reviewing))
        self.demo_share_filed = min(0.05, 150 / max(1, len(plan)))

        for rtype, org, content in b.policies():
            issued = content["issued_on"]
            self.add(rtype, org, content, "published", since=issued)
        for rtype, org, content in b.heritage():
            self.add(rtype, org, content, "published")
        for rtype, where, state, owner, created_by in plan:
            if owner is _AUTO and rtype == RT.WORK and rng.random() < INDIVIDUAL_SHARE:
                owner = None
            b.forced = owner
            rtype, org, content = b.build(rtype, where)
            b.forced = _AUTO
            since = content.get("issued_on") if rtype == RT.POLICY else None
            self.add(rtype, org, content, state, created_by=created_by, since=since)
        return len(self.resources)

    def rtype(self):
        return self.rng.choices(_TYPE_VALUES, cum_weights=_TYPE_CUM)[0]

    def spot(self, county: Region, rtype) -> _Where:
        """Where an entry is: its county, or for half the places one of the county's
        townships (for a heritage site, one of its rural towns)."""
        towns = self.ds.townships.get(county.pk) or []
        if rtype == RT.HERITAGE:
            towns = self.rural.setdefault(
                county.pk, [t for t in towns if t.name.endswith(("镇", "乡"))]
            )
        if towns and rtype in (RT.PLACE, RT.HERITAGE) and self.rng.random() < 0.5:
            return self.where[self.rng.choice(towns).pk]
        return self.where[county.pk]


# The content fields a resource row takes from its live content (region as region_id).
_FIELDS = [name for name in Resource.CONTENT_FIELDS if name != "region"]
_TYPE_VALUES = [t for t, _w in TYPES]
_TYPE_CUM = list(itertools.accumulate(w for _t, w in TYPES))


def _empty(name):
    field = Resource._meta.get_field(name)
    return None if field.null else field.get_default()


# What `services.set_fields` leaves in the fields that are not of the entry's type.
_EMPTY = {name: _empty(name) for name in Resource.CONTENT_FIELDS}
_OWN = {t: {*Resource.COMMON_FIELDS, *Resource.TYPE_FIELDS[t]} for t in RT.values}


def generate(ds: Dataset) -> None:
    # The entries' texts are data: in Chinese whatever the command's language.
    with translation.override("zh-hans"):
        gen = _Generator(ds)
        ds.step("resources: texts and workflow", gen.run)
    for label, model, name in (
        ("resources", Resource, "resources"),
        ("resource versions", ResourceVersion, "versions"),
        ("resource tags", ResourceTag, "tags"),
        ("resource expert reviews", ReviewAssignment, "assignments"),
        ("resource events", ResourceEvent, "events"),
    ):
        rows = getattr(gen, name)
        setattr(gen, name, [])  # freed once written
        ds.step(label, lambda model=model, rows=rows: ds.insert(model, rows))
        del rows
