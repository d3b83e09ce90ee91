"""Recognition rounds, first half: the call (create, change, move along the procedure),
the units' applications (eligibility checked against the call's rules), the one
recommendation of each and the officers' formal check (初评). The panel, 公示 and naming
are in `recognition_review`."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.bases import choices as bc
from kepu.bases.models import Application, ApplicationMaterial, Base, RecognitionRound
from kepu.bases.models import Recommendation as Rec
from kepu.bases.models.recognition import AppStatus, BodyKind, RoundStatus
from kepu.core import audit, clock, publiccache, scope
from kepu.core.choices import OrgType, RegionLevel
from kepu.core.errors import DomainError, StateConflict
from kepu.core.uploads import check_upload
from kepu.rubrics import choices as rc
from kepu.rubrics.models import Rubric

PUBLIC_TAG = "bases"
MATERIAL_TYPES = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx")
MAX_MATERIALS = 8
MAX_MATERIAL_BYTES = 10 * 1024 * 1024
# The level of the bases a region's officers recognize.
LEVEL_OF_REGION = {
    RegionLevel.PROVINCE: bc.BaseLevel.PROVINCIAL,
    RegionLevel.PREFECTURE: bc.BaseLevel.CITY,
    RegionLevel.COUNTY: bc.BaseLevel.COUNTY,
}
# The formal check's items (初评): all of them for a first application; a renewal's area
# and years open come from the registry (checked at its first recognition), so its check
# covers only what changes from year to year.
CHECK_ITEMS = {
    "legal_person": gettext_lazy("Independent legal person"),
    "years_open": gettext_lazy("Open to the public long enough"),
    "open_days": gettext_lazy("Open days last year"),
    "area": gettext_lazy("Exhibition area for its category"),
    "materials": gettext_lazy("Materials complete and genuine"),
}
RENEWAL_CHECK_ITEMS = ("legal_person", "open_days", "materials")


def check_item_labels(application) -> list[tuple[str, str]]:
    codes = RENEWAL_CHECK_ITEMS if application.is_renewal else tuple(CHECK_ITEMS)
    return [(code, str(CHECK_ITEMS[code])) for code in codes]


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def require(actor, obj, action) -> None:
    """The actor may `action` `obj`: in scope for it, and no object rule refuses."""
    if actor is None:
        return
    if not scope.visible_to(actor, type(obj), action, public=False).filter(pk=obj.pk).exists():
        raise DomainError(_("This is outside your scope."))
    scope.check(actor, obj, action)


def locked_round(rnd) -> RecognitionRound:
    return RecognitionRound.objects.select_for_update(of=("self",)).get(pk=rnd.pk)


def locked_application(app) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "organization", "region")
        .get(pk=app.pk)
    )


# --- the call --------------------------------------------------------------------------


def eligibility_rule_errors(rules) -> list[str]:
    """Why a call's eligibility rules are not well formed, or []."""
    if not isinstance(rules, dict):
        return [_("The eligibility rules must be an object.")]
    errors = []
    for key in ("min_years_open", "min_open_days"):
        value = rules.get(key, 0)
        if not isinstance(value, int) or value < 0 or (key == "min_open_days" and value > 366):
            errors.append(_("%(rule)s must be a whole number of 0 or more.") % {"rule": key})
    areas = rules.get("min_area", {})
    if not isinstance(areas, dict) or any(
        k not in bc.BaseCategory.values or not isinstance(v, int) or v < 0 for k, v in areas.items()
    ):
        errors.append(_("The minimum areas must map a category to square metres."))
    return errors


def _check_round(rnd: RecognitionRound) -> None:
    rnd.full_clean(exclude=["created_by"], validate_constraints=False)
    errors = {}
    rubric = Rubric.objects.get(pk=rnd.rubric_id)  # its status now, not a stale copy's
    if rubric.purpose != rc.Purpose.BASE_RECOGNITION or rubric.status != rc.RubricStatus.IN_USE:
        errors["rubric"] = [_("Choose a recognition rubric that is in use.")]
    if rnd.closes_on < rnd.opens_on:
        errors["closes_on"] = [_("Applications cannot close before they open.")]
    if rnd.recommend_by < rnd.closes_on:
        errors["recommend_by"] = [_("The recommendation deadline comes after the closing day.")]
    if not 1 <= rnd.panel_size <= 25:
        errors["panel_size"] = [_("A panel has 1 to 25 experts.")]
    if not 1 <= rnd.publicity_days <= 30:
        errors["publicity_days"] = [_("The public notice lasts 1 to 30 days.")]
    rule_errors = eligibility_rule_errors(rnd.eligibility)
    if rule_errors:
        errors["eligibility"] = rule_errors
    if errors:
        raise DomainError(errors)


@transaction.atomic
def create_round(*, actor, region, **fields) -> RecognitionRound:
    """A draft call of the level that `region`'s officers recognize."""
    scope.require_region(actor, RecognitionRound, "create", region)
    level = LEVEL_OF_REGION.get(region.level)
    if level is None:
        raise DomainError(_("Recognition rounds are run by a province, a city or a county."))
    rnd = RecognitionRound(region=region, level=level, created_by=_user(actor), **fields)
    _check_round(rnd)
    rnd.save()
    audit.created(rnd, actor=actor)
    return rnd


@transaction.atomic
def change_round(rnd, *, actor, **fields) -> RecognitionRound:
    rnd = locked_round(rnd)
    require(actor, rnd, "change")
    if not rnd.can_change():
        raise StateConflict(_("A round can be changed only while in draft or open."))
    unknown = set(fields) - set(RecognitionRound.EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": sorted(unknown)})
    before = audit.snapshot(rnd)
    for name, value in fields.items():
        setattr(rnd, name, value)
    _check_round(rnd)
    rnd.save(update_fields=list(fields))
    audit.record(
        "bases.recognitionround.changed", obj=rnd, actor=actor,
        changes=audit.diff(before, audit.snapshot(rnd)),
    )  # fmt: skip
    return rnd


# Steps `advance_round` takes; the 公示 and the naming have services of their own.
SIMPLE_STEPS = {
    RoundStatus.DRAFT: RoundStatus.OPEN,
    RoundStatus.OPEN: RoundStatus.RECOMMENDING,
    RoundStatus.RECOMMENDING: RoundStatus.CHECKING,
    RoundStatus.CHECKING: RoundStatus.REVIEWING,
    RoundStatus.NAMED: RoundStatus.CLOSED,
}


@transaction.atomic
def advance_round(rnd, *, actor) -> RecognitionRound:
    """Move a round one step: open the call, close applications, close recommendation
    (applications left without one are not recommended), close the formal check (all
    checked), close the round after naming."""
    rnd = locked_round(rnd)
    require(actor, rnd, "advance")
    target = SIMPLE_STEPS.get(rnd.status)
    if target is None:
        raise StateConflict(
            _("A round in “%(status)s” moves on through its own page.")
            % {"status": rnd.get_status_display()}
        )
    apps = rnd.applications.all()
    if target == RoundStatus.OPEN:
        _check_round(rnd)
    if target == RoundStatus.CHECKING:
        lapsed = list(apps.filter(status=AppStatus.SUBMITTED).values_list("pk", flat=True))
        apps.filter(pk__in=lapsed).update(status=AppStatus.DECLINED)
        if lapsed:
            audit.record(
                "bases.application.lapsed", obj=rnd, actor=actor, detail={"applications": lapsed}
            )
    if target == RoundStatus.REVIEWING and apps.filter(status=AppStatus.RECOMMENDED).exists():
        raise DomainError(_("Some recommended applications have not had their formal check."))
    previous = rnd.status
    rnd.status = target
    rnd.save(update_fields=["status"])
    audit.record(
        "bases.recognitionround.advanced", obj=rnd, actor=actor,
        changes={"status": [previous, target]},
    )  # fmt: skip
    publiccache.bump(PUBLIC_TAG)
    return rnd


# --- applications ----------------------------------------------------------------------


def eligibility_errors(rnd, *, category, figures, is_renewal=False) -> dict:
    """{field: [message]} for each rule of the call the figures do not meet. A renewal's
    years open and area come from the registry and are not checked again."""
    rules, errors = rnd.eligibility or {}, {}
    if rules.get("legal_person") and not figures.get("legal_person"):
        errors["legal_person"] = [_("The call requires an independent legal person.")]
    min_days = rules.get("min_open_days", 0)
    if figures.get("open_days", 0) < min_days:
        errors["open_days"] = [
            _("The call requires at least %(n)d open days a year.") % {"n": min_days}
        ]
    if is_renewal:
        return errors
    min_years = rules.get("min_years_open", 0)
    if figures.get("years_open", 0) < min_years:
        errors["years_open"] = [
            _("The call requires being open for at least %(n)d years.") % {"n": min_years}
        ]
    min_area = (rules.get("min_area") or {}).get(category, 0)
    if figures.get("area_m2", 0) < min_area:
        errors["area_m2"] = [
            _("The call requires at least %(n)d m² of exhibition area for this category.")
            % {"n": min_area}
        ]
    return errors


def expired_base(rnd, organization):
    """The unit's expired base at the round's level (a renewal), if it has no listed one."""
    bases = Base.objects.filter(organization=organization, level=rnd.level)
    if bases.listed().exists():
        return None
    return bases.filter(status=bc.BaseStatus.EXPIRED).order_by("-valid_to").first()


def check_materials(application, uploads) -> list[str]:
    existing = application.materials.count() if application and application.pk else 0
    if len(uploads) + existing > MAX_MATERIALS:
        raise DomainError(
            {"materials": [_("At most %(n)d files per application.") % {"n": MAX_MATERIALS}]}
        )
    return [
        check_upload(f, extensions=MATERIAL_TYPES, max_bytes=MAX_MATERIAL_BYTES) for f in uploads
    ]


@transaction.atomic
def submit_application(
    rnd, *, actor, organization, category, name="", place=None, statement="", materials=(),
    **figures,
) -> Application:  # fmt: skip
    """A unit's application (its staff, or an officer of its region for it), checked
    against the call's eligibility rules with one message per rule not met."""
    rnd = locked_round(rnd)
    if not rnd.is_open_on(clock.today()):
        raise StateConflict(_("This round is not taking applications."))
    if actor is not None:
        scope.require(actor, "bases.application.create")
        units = scope.member_units(actor, Application, "create")
        in_unit = any(organization.pk == u.pk or organization.parent_id == u.pk for u in units)
        if not in_unit:
            scope.require_region(actor, Application, "create", organization.region)
    if not rnd.region.path or not organization.region.path.startswith(rnd.region.path):
        raise DomainError(_("The unit is not in the round's region."))
    previous = expired_base(rnd, organization)
    if Base.objects.listed().filter(organization=organization, level=rnd.level).exists():
        raise DomainError(_("This unit is already a listed base at this level."))
    if previous is not None:  # simplified review: the registry's figures
        figures["area_m2"] = previous.area_m2
        figures.setdefault("staff", previous.staff)
        figures.setdefault("docents", previous.docents)
    app = Application(
        round=rnd, organization=organization, region=organization.region,
        name=name or organization.name, category=category, place=place,
        statement=statement.strip(), is_renewal=previous is not None, previous_base=previous,
        submitted_by=_user(actor), submitted_at=clock.now(), **figures,
    )  # fmt: skip
    app.full_clean(exclude=["round", "submitted_by"], validate_constraints=False)
    if place is not None and place.organization_id != organization.pk:
        raise DomainError({"place": [_("Choose a place of the unit's own in the catalog.")]})
    errors = eligibility_errors(
        rnd, category=category, figures={f: getattr(app, f) for f in Application.FIGURES},
        is_renewal=app.is_renewal,
    )  # fmt: skip
    if errors:
        raise DomainError(errors)
    types = check_materials(None, list(materials))
    if rnd.applications.live().filter(organization=organization).exists():
        raise DomainError(_("This unit has already applied to this round."))
    try:
        with transaction.atomic():
            app.save()
    except IntegrityError:
        raise DomainError(_("This unit has already applied to this round.")) from None
    _save_materials(app, materials, types)
    audit.created(app, actor=actor, detail={"materials": len(types)})
    return app


def _save_materials(app, uploads, types) -> None:
    for upload, content_type in zip(uploads, types, strict=True):
        material = ApplicationMaterial(
            application=app, name=upload.name[:200], content_type=content_type,
            size=upload.size, uploaded_at=clock.now(),
        )  # fmt: skip
        material.file.save(upload.name, upload, save=False)
        material.save()


@transaction.atomic
def withdraw_application(app, *, actor) -> Application:
    app = locked_application(app)
    require(actor, app, "withdraw")
    if not app.can_withdraw():
        raise StateConflict(_("This application can no longer be withdrawn."))
    previous = app.status
    app.status = AppStatus.WITHDRAWN
    app.save(update_fields=["status"])
    audit.record(
        "bases.application.withdrawn", obj=app, actor=actor,
        changes={"status": [previous, app.status]},
    )  # fmt: skip
    return app


# --- recommendation --------------------------------------------------------------------


def recommending_body(actor, app) -> tuple[str, object, object, str]:
    """(kind, region, organization, name) of the body `actor` recommends for: a member
    unit or learned society the application's unit belongs to, else the lowest region of
    the actor's scope holding the unit, which must lie below the round's region."""
    for unit in scope.member_units(actor, Application, "recommend"):
        if app.organization_id in (unit.pk,) or app.organization.parent_id == unit.pk:
            kind = BodyKind.SOCIETY if unit.org_type == OrgType.SOCIETY else BodyKind.MEMBER
            return kind, None, unit, unit.name
    regions = [
        r for r in scope.scope_roots(actor) if app.region.path.startswith(r.path)
    ]  # fmt: skip
    if not regions:
        raise DomainError(_("This unit is outside your scope."))
    region = max(regions, key=lambda r: len(r.path))
    if region.path == app.round.region.path or not region.path.startswith(app.round.region.path):
        raise DomainError(
            _("The round's own officers do not recommend: a lower region's association does.")
        )
    return BodyKind.REGION, region, None, region.name


def awaiting_recommendation(user, queryset=None):
    """The applications `user` may recommend now: in scope for it, not filed by them
    (object rule), open rounds, and not rounds of the user's own top region (the round's
    own officers do not recommend)."""
    queryset = queryset if queryset is not None else Application.objects.all()
    rows = scope.actionable(user, queryset, "recommend").filter(
        status=AppStatus.SUBMITTED,
        round__status__in=(RoundStatus.OPEN, RoundStatus.RECOMMENDING),
    )
    roots = [r.pk for r in scope.scope_roots(user)]
    return rows.exclude(round__region_id__in=roots) if roots else rows


@transaction.atomic
def recommend_application(
    app, *, actor, recommended=True, opinion="", rank=None, body_organization=None
) -> Rec:
    """The one recommendation of an application (or the refusal to recommend it), by a
    body in scope of the unit. A second one, by any body, is refused. The system (actor
    None: the demo, an import of paper recommendations) names the body: the member unit
    or society `body_organization`, else the unit's own region's association."""
    app = locked_application(app)
    require(actor, app, "recommend")
    if Rec.objects.filter(application=app).exists():
        raise StateConflict(
            _("This application has already been recommended by one body; a second "
              "recommendation is not accepted.")
        )  # fmt: skip
    if app.status != AppStatus.SUBMITTED or app.round.status not in (
        RoundStatus.OPEN, RoundStatus.RECOMMENDING,
    ):  # fmt: skip
        raise StateConflict(_("This application is not awaiting a recommendation."))
    if clock.today() > app.round.recommend_by:
        raise StateConflict(
            _("The recommendation deadline (%(d)s) has passed.")
            % {"d": app.round.recommend_by.isoformat()}
        )
    if not opinion.strip():
        raise DomainError({"opinion": [_("Write the recommending body's opinion.")]})
    if rank is not None and rank < 1:
        raise DomainError({"rank": [_("The rank starts at 1.")]})
    if actor is not None:
        kind, region, org, name = recommending_body(actor, app)
    elif body_organization is not None:
        org, region, name = body_organization, None, body_organization.name
        kind = BodyKind.SOCIETY if org.org_type == OrgType.SOCIETY else BodyKind.MEMBER
    else:
        region = app.region if app.region_id != app.round.region_id else None
        kind, org, name = BodyKind.REGION, None, (region or app.region).name
    rec = Rec(
        application=app, body_kind=kind, body_region=region, body_organization=org,
        body_name=name[:120], recommended=recommended, opinion=opinion.strip(), rank=rank,
        by=_user(actor), at=clock.now(),
    )  # fmt: skip
    try:
        with transaction.atomic():
            rec.save()
    except IntegrityError:
        raise StateConflict(
            _("This application has already been recommended by one body; a second "
              "recommendation is not accepted.")
        ) from None  # fmt: skip
    previous = app.status
    app.status = AppStatus.RECOMMENDED if recommended else AppStatus.DECLINED
    app.save(update_fields=["status"])
    audit.record(
        "bases.application.recommended" if recommended else "bases.application.declined",
        obj=app, actor=actor, changes={"status": [previous, app.status]},
        detail={"body": rec.body_name, "kind": kind, "rank": rank},
    )  # fmt: skip
    return rec


# --- formal check ----------------------------------------------------------------------


@transaction.atomic
def check_application(app, *, actor, items: dict, note="") -> Application:
    """初评: each check item passed or not; the application passes when all pass (a
    failure needs the reason in the note). A renewal's check has fewer items."""
    app = locked_application(app)
    require(actor, app.round, "check")
    require(actor, app, "check")
    if app.status != AppStatus.RECOMMENDED or app.round.status != RoundStatus.CHECKING:
        raise StateConflict(_("This application is not awaiting its formal check."))
    codes = [code for code, _label in check_item_labels(app)]
    missing = [code for code in codes if code not in items]
    if missing:
        raise DomainError(_("Decide every check item."))
    passed = all(bool(items[code]) for code in codes)
    if not passed and not note.strip():
        raise DomainError({"check_note": [_("Say why the application fails the check.")]})
    previous = app.status
    app.check_items = {code: bool(items[code]) for code in codes}
    app.check_note = note.strip()[:500]
    app.status = AppStatus.CHECK_PASSED if passed else AppStatus.CHECK_FAILED
    app.checked_by, app.checked_at = _user(actor), clock.now()
    app.save(update_fields=["check_items", "check_note", "status", "checked_by", "checked_at"])
    audit.record(
        "bases.application.checked", obj=app, actor=actor,
        changes={"status": [previous, app.status]}, detail={"items": app.check_items},
    )  # fmt: skip
    return app


def to_decimal(value) -> Decimal:
    return Decimal(str(value))
