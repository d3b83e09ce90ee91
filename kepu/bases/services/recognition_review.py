"""Recognition rounds, second half: the expert panel (drawn from the pool with
conflict-of-interest avoidance, reproducibly), the score sheets on the round's rubric,
the ranking, the 公示 with written objections, and the naming that writes the registry."""

from __future__ import annotations

import random
from collections import defaultdict

from django.db import transaction
from django.utils.translation import gettext as _

from kepu.bases.models import Application, Objection, PanelMember, ScoreSheet
from kepu.bases.models.recognition import AppStatus, ObjectionStatus, RoundStatus
from kepu.bases.services import registry
from kepu.bases.services.recognition import PUBLIC_TAG, locked_application, locked_round, require
from kepu.core import audit, clock, publiccache, publicity
from kepu.core.errors import DomainError, StateConflict
from kepu.core.publicity import publicity_end
from kepu.rubrics import engine

# --- the panel -------------------------------------------------------------------------


def conflict_reason(app, person) -> str:
    """Why `person` may not score `app` ("" when none): works for the unit, its parent
    or a sub-unit, or recommended it (in person or as the recommending unit)."""
    org = person.organization_id
    unit = app.organization
    if org is not None and org in {unit.pk, unit.parent_id}:
        return _("Works for the applicant unit or its parent")
    if org is not None and person.organization.parent_id == unit.pk:
        return _("Works for a sub-unit of the applicant")
    rec = getattr(app, "recommendation", None)
    if rec is not None:
        if person.user_id is not None and rec.by_id == person.user_id:
            return _("Recommended this application")
        if org is not None and rec.body_organization_id == org:
            return _("Works for the recommending unit")
    return ""


def pool_candidates(rnd):
    """The pool's available experts, in a fixed order (the draw is reproducible)."""
    from kepu.people.models import Person

    if rnd.pool_id is None:
        return Person.objects.none()
    today = clock.today()
    return (
        Person.objects.filter(
            pool_memberships__pool_id=rnd.pool_id,
            pool_memberships__available=True,
            erased_at__isnull=True,
        )
        .exclude(pool_memberships__term_end__lt=today)
        .select_related("organization")
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def draw_panel(rnd, *, actor, seed: int | None = None, must_include=()) -> list:
    """Draw `panel_size` experts from the pool with `seed` (random if not given; kept and
    audited, so the same pool and seed give the same panel), then give each expert a
    score sheet for every application that passed the formal check, marking a conflict
    of interest where there is one. Refused once a score has been submitted."""
    rnd = locked_round(rnd)
    require(actor, rnd, "panel")
    if rnd.status != RoundStatus.REVIEWING:
        raise StateConflict(_("The panel is drawn during the expert review."))
    sheets = ScoreSheet.objects.filter(application__round=rnd)
    if sheets.filter(submitted_at__isnull=False).exists():
        raise StateConflict(_("Scores have been submitted: the panel can no longer change."))
    candidates = list(pool_candidates(rnd))
    if len(candidates) < rnd.panel_size:
        raise DomainError(
            _("The pool has %(n)d available experts; the panel needs %(size)d.")
            % {"n": len(candidates), "size": rnd.panel_size}
        )
    seed = seed if seed is not None else random.SystemRandom().randrange(1, 2**31)
    fixed = [p for p in candidates if p.pk in set(must_include)]
    rest = [p for p in candidates if p not in fixed]
    drawn = fixed + random.Random(seed).sample(  # noqa: S311 - a reproducible draw, by design
        rest, rnd.panel_size - len(fixed)
    )
    sheets.delete()
    PanelMember.objects.filter(round=rnd).delete()
    PanelMember.objects.bulk_create(
        PanelMember(round=rnd, person=p, position=i) for i, p in enumerate(drawn)
    )
    apps = list(
        rnd.applications.filter(status=AppStatus.CHECK_PASSED).select_related(
            "organization", "recommendation"
        )
    )
    ScoreSheet.objects.bulk_create(
        ScoreSheet(application=a, expert=p, rubric_id=rnd.rubric_id, conflict=conflict_reason(a, p))
        for a in apps
        for p in drawn
    )
    rnd.panel_seed = seed
    rnd.save(update_fields=["panel_seed"])
    audit.record(
        "bases.recognitionround.panel_drawn", obj=rnd, actor=actor,
        detail={"seed": seed, "experts": [p.pk for p in drawn], "applications": len(apps)},
    )  # fmt: skip
    return drawn


def _locked_sheet(sheet) -> ScoreSheet:
    return (
        ScoreSheet.objects.select_for_update(of=("self",))
        .select_related("application", "application__round", "rubric", "expert")
        .get(pk=sheet.pk)
    )


@transaction.atomic
def declare_conflict(sheet, *, actor, reason: str) -> ScoreSheet:
    """The expert declares a conflict with the application: the sheet no longer counts."""
    sheet = _locked_sheet(sheet)
    require(actor, sheet, "score")
    if not sheet.can_score():
        raise StateConflict(_("This score sheet can no longer be changed."))
    if not reason.strip():
        raise DomainError({"reason": [_("Say what the conflict is.")]})
    sheet.conflict = (_("Declared by the expert: %(r)s") % {"r": reason.strip()})[:200]
    sheet.save(update_fields=["conflict"])
    audit.record(
        "bases.scoresheet.conflict_declared", obj=sheet, actor=actor,
        detail={"application": sheet.application_id, "reason": sheet.conflict},
    )  # fmt: skip
    _settle_score(sheet.application)
    return sheet


@transaction.atomic
def submit_score(sheet, *, actor, values: dict, comment="", on_behalf=False) -> ScoreSheet:
    """An expert's score of one application (every criterion, each within its range: the
    engine refuses anything else). An officer may record a paper sheet for an expert
    without an account (`on_behalf`). The application's score is the mean once every
    expert without a conflict has scored."""
    sheet = _locked_sheet(sheet)
    require(actor, sheet, "record" if on_behalf else "score")
    if not sheet.can_score():
        raise StateConflict(_("This score sheet can no longer be changed."))
    result = engine.evaluate(sheet.rubric, values, strict=True)
    sheet.values = {k: str(v) for k, v in values.items()}
    sheet.lines = result.points()
    sheet.total, sheet.grade = result.total, result.grade
    sheet.comment = comment.strip()[:2000]
    sheet.submitted_at = clock.now()
    sheet.recorded_by = actor if on_behalf and getattr(actor, "is_authenticated", False) else None
    sheet.save()
    audit.record(
        "bases.scoresheet.submitted", obj=sheet, actor=actor,
        detail={"application": sheet.application_id, "total": str(result.total),
                "on_behalf": on_behalf},
    )  # fmt: skip
    _settle_score(sheet.application)
    return sheet


def _settle_score(app) -> None:
    """Score the application with the mean of its sheets once they are all in."""
    app = locked_application(app)
    sheets = list(app.sheets.scoring())
    if not sheets or any(s.submitted_at is None for s in sheets):
        return
    total = engine.mean_total(s.total for s in sheets)
    app.score, app.grade = total, engine.grade_of(app.round.rubric, total)
    app.status = AppStatus.SCORED
    app.save(update_fields=["score", "grade", "status"])
    audit.record(
        "bases.application.scored", obj=app, detail={"score": str(total), "sheets": len(sheets)}
    )


def ranking(rnd) -> list[tuple[str, list]]:
    """[(category label, [applications by score])] of the applications in the review."""
    apps = (
        rnd.applications.filter(
            status__in=(AppStatus.CHECK_PASSED, AppStatus.SCORED, AppStatus.PUBLICITY,
                        AppStatus.NAMED, AppStatus.NOT_NAMED)
        )
        .exclude(score__isnull=True, status=AppStatus.NOT_NAMED)
        .select_related("organization")
        .order_by("category", "-score", "pk")
    )  # fmt: skip
    groups = defaultdict(list)
    for app in apps:
        groups[app.get_category_display()].append(app)
    return list(groups.items())


# --- 公示 -------------------------------------------------------------------------------


@transaction.atomic
def start_publicity(rnd, *, actor, cutoff):
    """Close the review: the applications scoring at least `cutoff` go to the 公示 (its
    end by the round's length, in calendar or working days); the others are not named."""
    rnd = locked_round(rnd)
    require(actor, rnd, "publicize")
    if rnd.status != RoundStatus.REVIEWING:
        raise StateConflict(_("The public notice follows the expert review."))
    apps = rnd.applications.all()
    if apps.filter(status=AppStatus.CHECK_PASSED).exists():
        raise DomainError(_("Some applications have not been scored by the whole panel yet."))
    if cutoff is None or not 0 <= cutoff <= 100:
        raise DomainError({"cutoff": [_("The cut-off is a score of 0 to 100.")]})
    chosen = apps.filter(status=AppStatus.SCORED, score__gte=cutoff)
    if not chosen.exists():
        raise DomainError({"cutoff": [_("No application reaches this cut-off.")]})
    n = chosen.update(status=AppStatus.PUBLICITY)
    apps.filter(status=AppStatus.SCORED).update(status=AppStatus.NOT_NAMED)
    today = clock.today()
    rnd.cutoff, rnd.status = cutoff, RoundStatus.PUBLICITY
    rnd.publicity_from = today
    rnd.publicity_to = publicity_end(today, rnd.publicity_days, rnd.publicity_working_days)
    rnd.save(update_fields=["cutoff", "status", "publicity_from", "publicity_to"])
    audit.record(
        "bases.recognitionround.publicized", obj=rnd, actor=actor,
        detail={"cutoff": str(cutoff), "candidates": n, "until": rnd.publicity_to.isoformat()},
    )  # fmt: skip
    publiccache.bump(PUBLIC_TAG)
    return rnd


@transaction.atomic
def file_objection(app, *, name, phone, text, client_key=None) -> tuple[Objection, bool]:
    """A written objection to a candidate, by anyone, with a real name and a phone; only
    while the 公示 is open. `client_key` makes a repeated submission one objection."""
    found = publicity.existing(Objection, client_key)
    if found is not None:
        return found, False
    app = locked_application(app)
    rnd = app.round
    if app.status != AppStatus.PUBLICITY or not rnd.publicity_open_on(clock.today()):
        raise StateConflict(publicity.closed_or_absent_message(rnd.publicity_to))
    fields = publicity.clean_objection(name=name, phone=phone, text=text)
    return publicity.save_objection(Objection(application=app, **fields), client_key)


@transaction.atomic
def answer_objection(objection, *, actor, upheld: bool, answer: str) -> Objection:
    """The officers' written answer: upheld (the candidate will not be named) or
    dismissed."""
    require(actor, objection, "answer")
    return publicity.answer_objection(
        objection, actor=actor, upheld=upheld, answer=answer, code="bases.objection.answered"
    )


# --- naming ----------------------------------------------------------------------------


def next_numbers(prefix: str, count: int) -> list[str]:
    """`count` certificate numbers continuing the series `prefix` (001, 002 …)."""
    from kepu.bases.models import Base

    used = [
        n[len(prefix) :]
        for n in Base.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    ]
    start = max((int(u) for u in used if u.isdigit()), default=0)
    return [f"{prefix}{start + i + 1:03d}" for i in range(count)]


@transaction.atomic
def name_bases(rnd, *, actor, decided_on=None) -> list:
    """命名决定: once the 公示 is over and every objection answered, each candidate
    without an upheld objection becomes a base in the registry (batch, the next number of
    the round's series, five years from the decision); the others are not named."""
    rnd = locked_round(rnd)
    require(actor, rnd, "name")
    today = clock.today()
    decided_on = decided_on or today
    if rnd.status != RoundStatus.PUBLICITY:
        raise StateConflict(_("Naming follows the public notice."))
    if today <= rnd.publicity_to:
        raise StateConflict(
            _("The public notice runs until %(d)s; name the bases after it.")
            % {"d": rnd.publicity_to.isoformat()}
        )
    objections = Objection.objects.filter(application__round=rnd)
    if objections.filter(status=ObjectionStatus.PENDING).exists():
        raise DomainError(_("Answer every objection before naming."))
    upheld = set(
        objections.filter(status=ObjectionStatus.UPHELD).values_list("application_id", flat=True)
    )
    candidates = list(
        rnd.applications.filter(status=AppStatus.PUBLICITY)
        .select_related("organization", "previous_base")
        .order_by("-score", "pk")
    )
    named = [a for a in candidates if a.pk not in upheld]
    numbers = next_numbers(rnd.number_prefix, len(named))
    bases = []
    for app, number in zip(named, numbers, strict=True):
        previous = app.previous_base
        base = registry.register_base(
            actor=None, organization=app.organization, level=rnd.level, category=app.category,
            valid_from=decided_on, name=app.name, place=app.place, batch=rnd.batch,
            number=number, open_days=app.open_days, area_m2=app.area_m2, staff=app.staff,
            docents=app.docents,
            contact_name=previous.contact_name if previous else "",
        )  # fmt: skip
        Application.objects.filter(pk=app.pk).update(status=AppStatus.NAMED, base=base)
        audit.record("bases.application.named", obj=app, actor=actor, detail={"number": number})
        bases.append(base)
    rnd.applications.filter(pk__in=upheld, status=AppStatus.PUBLICITY).update(
        status=AppStatus.NOT_NAMED
    )
    rnd.status, rnd.decided_on = RoundStatus.NAMED, decided_on
    rnd.save(update_fields=["status", "decided_on"])
    audit.record(
        "bases.recognitionround.named", obj=rnd, actor=actor,
        detail={"bases": len(bases), "not_named": len(upheld)},
    )  # fmt: skip
    publiccache.bump(PUBLIC_TAG)
    return bases
