"""Fielding: a respondent's answers become one scored, quality-checked response (from
the public link, a sample point's QR code, an interviewer's phone, or in bulk), the
officers exclude or restore responses with a reason, interviewers record their contacts,
and the dispositions give the response rate.

Every response is whole or absent: it is checked (the round in the field, the form of
the round, every item of the form answered with one of its options and no other item,
the respondent inside the survey population, the device not used before) before a row
is written, then written with its counters in one transaction."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from kepu.core import audit, clock, scope
from kepu.core.errors import DomainError, StateConflict
from kepu.core.models import Region
from kepu.literacy import choices as c
from kepu.literacy import scoring
from kepu.literacy.models import (
    Contact,
    Form,
    Instrument,
    Response,
    SamplePoint,
    Stratum,
    SurveyRound,
)

DEMOGRAPHICS = {
    "sex": c.Sex,
    "age_band": c.AgeBand,
    "education": c.Education,
    "area": c.AreaType,
    "occupation": c.Occupation,
    "key_group": c.KeyGroup,
}
MAX_ITEM_SECONDS = 3600

_schemes: dict = {}
_slots: dict = {}


def scheme_of(instrument_id: int) -> scoring.Scheme:
    """The instrument's scoring scheme (shipped, read-only data: kept per process)."""
    scheme = _schemes.get(instrument_id)
    if scheme is None:
        instrument = Instrument.objects.prefetch_related("dimensions").get(pk=instrument_id)
        scheme = _schemes[instrument_id] = scoring.Scheme.of(instrument)
    return scheme


def slots_of(form: Form) -> tuple:
    """The form's items as scoring slots, in the form's order. A form never changes once
    its round opens; a draft's forms are replaced by new rows, hence the key."""
    key = (form.pk, form.round_id, form.seed, form.created_at)
    slots = _slots.get(key)
    if slots is None:
        rows = form.slots.select_related("item__dimension").order_by("position")
        slots = tuple(
            scoring.Slot(
                item=fi.item_id,
                dimension=fi.item.dimension.code,
                kind=fi.item.kind,
                key=scoring.key_text(fi.item.kind, fi.item.key)
                if fi.item.kind in c.SCORED_ITEM_KINDS
                else "",
                cents=int(fi.points * 100),
                options=tuple(
                    ("T", "F")
                    if fi.item.kind == c.ItemKind.TRUE_FALSE
                    else [str(o.get("key", "")).upper() for o in fi.item.options or []]
                ),
            )
            for fi in rows
        )
        if len(_slots) > 500:
            _slots.clear()
        _slots[key] = slots
    return slots


@dataclass(frozen=True)
class Frame:
    """A round's strata as fielding needs them: {(county pk, area): stratum pk}, the
    counties (with their cities) in path order, and the round's forms by label."""

    strata: dict
    counties: tuple
    forms: tuple

    def form(self, pk):
        return next((f for f in self.forms if f.pk == pk), None)


_frames: dict = {}


def frame_of(round_) -> Frame:
    """The round's frame and forms. They are built while the round is prepared and never
    change once it opens: kept per process for a round past its preparation."""
    key = (round_.pk, round_.token)
    frame = _frames.get(key) if round_.status != c.RoundStatus.DRAFT else None
    if frame is None:
        pairs = list(Stratum.objects.filter(round=round_).values_list("pk", "region_id", "area"))
        ids = {region for _pk, region, _area in pairs}
        counties = Region.objects.filter(pk__in=ids).select_related("parent").order_by("path")
        forms = tuple(Form.objects.filter(round=round_).order_by("label"))
        frame = Frame({(r, a): pk for pk, r, a in pairs}, tuple(counties), forms)
        if round_.status != c.RoundStatus.DRAFT:
            if len(_frames) > 200:
                _frames.clear()
            _frames[key] = frame
    return frame


@dataclass
class Checked:
    """A response that passed the checks, ready to be written."""

    answers: dict
    item_seconds: dict
    demographics: dict
    flags: list
    quality: str
    reason: str
    score: scoring.Score


def _demographics(round_, values: dict) -> tuple[dict, list]:
    out, flags = {}, []
    for name, choices in DEMOGRAPHICS.items():
        value = str(values.get(name, "") or "")
        if value not in choices.values or (not value and name != "key_group"):
            raise DomainError({name: [_("Choose an answer.")]})
        out[name] = value
    age = values.get("age")
    if age not in (None, ""):
        try:
            age = int(age)
        except (TypeError, ValueError):
            raise DomainError({"age": [_("Give your age in whole years.")]}) from None
        if not round_.age_min <= age <= round_.age_max:
            raise DomainError(outside_population(round_))
    low, high = (int(x) for x in out["age_band"].split("-"))
    if high < round_.age_min or low > round_.age_max:
        flags.append(c.QualityFlag.OUT_OF_POPULATION)
    return out, flags


def outside_population(round_) -> str:
    return _(
        "Thank you. This survey is for residents aged %(lo)d to %(hi)d, so we will not ask "
        "you the questions; nothing has been stored."
    ) % {"lo": round_.age_min, "hi": round_.age_max}


def check_answers(slots, answers, item_seconds) -> tuple[dict, dict]:
    """The answers keyed by item (every item of the form, one of its options each) and
    the seconds per item (bounded); refuses an answer to an item not on the form."""
    if not isinstance(answers, dict):
        raise DomainError(_("The answers are malformed."))
    by_item = {str(s.item): s for s in slots}
    foreign = [k for k in answers if str(k) not in by_item]
    if foreign:
        raise DomainError(_("An answer is to a question that is not on this questionnaire."))
    clean, missing = {}, 0
    for key, slot in by_item.items():
        answer = scoring.normalize(slot.kind, answers.get(key, ""))
        if not answer:
            missing += 1
            continue
        if not slot.accepts(answer):
            raise DomainError(_("An answer is not one of its question's options."))
        clean[key] = answer
    if missing:
        raise DomainError(
            _("%(n)d questions are not answered yet: please answer every question.")
            % {"n": missing}
        )
    seconds = {}
    for key, value in (item_seconds or {}).items():
        if str(key) not in by_item:
            continue
        try:
            seconds[str(key)] = max(0, min(MAX_ITEM_SECONDS, int(round(float(value)))))
        except (TypeError, ValueError):
            continue
    return clean, seconds


def quality_flags(round_, slots, answers, elapsed) -> list:
    """Speeding (mean seconds per item, by the server's clock, below the round's
    threshold) and straight-lining (one option for at least the round's share of at
    least 10 choice items)."""
    rules = round_.quality or {}
    flags = []
    if slots and elapsed / len(slots) < float(rules.get("min_seconds_per_item", 0)):
        flags.append(c.QualityFlag.SPEEDER)
    choice = [answers[str(s.item)] for s in slots if s.kind != c.ItemKind.TRUE_FALSE]
    if len(choice) >= 10:
        top = Counter(choice).most_common(1)[0][1]
        if top / len(choice) >= float(rules.get("straightline_share", 1)):
            flags.append(c.QualityFlag.STRAIGHT_LINE)
    return flags


def verdict(round_, flags) -> tuple[str, str]:
    """(quality, reason): excluded when the round excludes and a behaviour flag is up;
    flagged for any flag; else valid."""
    if not flags:
        return c.Quality.VALID, ""
    labels = "、".join(str(c.QualityFlag(f).label) for f in flags)
    behaviour = {
        c.QualityFlag.SPEEDER,
        c.QualityFlag.STRAIGHT_LINE,
        c.QualityFlag.OUT_OF_POPULATION,
    }
    if (round_.quality or {}).get("exclude") and behaviour & set(flags):
        return c.Quality.EXCLUDED, labels[:200]
    return c.Quality.FLAGGED, ""


def _place(round_, point, region, area):
    """(stratum pk, point, county) of a response: the point fixes them; otherwise the
    county and urban/rural chosen must be a stratum of the round."""
    if point is not None:
        if point.round_id != round_.pk:
            raise DomainError(_("This sample point is not in this survey."))
        return point.stratum_id, point, point.stratum.region
    if region is None:
        raise DomainError({"region": [_("Choose your county.")]})
    stratum = frame_of(round_).strata.get((region.pk, area))
    if stratum is None:
        raise DomainError({"region": [_("This county and area are not in this survey.")]})
    return stratum, None, region


def submit_response(
    round_, *, form, point=None, region=None, mode, answers, item_seconds, started_at,
    demographics, device="", idem, interviewer=None, user_agent="", order_seed=0,
) -> Response:  # fmt: skip
    """One respondent's questionnaire, whole. A repeated `idem` gives back the first
    response; a second response from the same device is refused; after the round
    closes nothing is stored."""
    if not idem or len(idem) > 64:
        raise DomainError(_("The submission has no valid key."))
    # One look-up for both: the same submission again, or this device's earlier one.
    same = Q(idem=idem) | Q(device=device) if device else Q(idem=idem)
    seen = list(Response.objects.filter(same, round=round_).order_by()[:2])
    existing = next((r for r in seen if r.idem == idem), None)
    if existing is not None:
        return existing
    now = clock.now()
    if not round_.is_fielding(now):
        raise StateConflict(_("This survey is not taking responses: it has closed or not opened."))
    if mode not in c.Mode.values:
        raise DomainError(_("Unknown mode."))
    if mode == c.Mode.INTERVIEWER and (
        interviewer is None or not round_.interviewers.filter(pk=interviewer.pk).exists()
    ):
        raise DomainError(_("Only the round's interviewers enter responses."))
    if form is None or form.round_id != round_.pk:
        raise DomainError(_("This questionnaire is not one of this survey's."))
    demo, flags = _demographics(round_, demographics or {})
    if seen:  # not this submission: the device's earlier one
        raise DomainError(already_answered())
    slots = slots_of(form)
    clean, seconds = check_answers(slots, answers, item_seconds)
    elapsed = max(0, int((now - started_at).total_seconds())) if started_at else 0
    # The server's clock decides: the page's per-item times cannot add up to more.
    spent = sum(seconds.values())
    if spent > elapsed and spent:
        seconds = {k: v * elapsed // spent for k, v in seconds.items()}
    flags += quality_flags(round_, slots, clean, elapsed)
    result = scoring.score(scheme_of(round_.instrument_id), slots, clean)
    try:
        with transaction.atomic():
            return _write(
                round_, form, point, region, mode, demo, flags, clean, seconds, started_at,
                now, elapsed, device, idem, interviewer, user_agent, result, order_seed,
            )  # fmt: skip
    except IntegrityError:
        existing = Response.objects.filter(round=round_, idem=idem).first()
        if existing is not None:
            return existing
        raise DomainError(already_answered()) from None


def receipt_of(idem: str) -> str:
    """The receipt number a respondent is shown (and a load test counts by): derived from
    the submission's nonce, identifying nobody."""
    import hashlib

    return hashlib.sha256(f"literacy-receipt:{idem}".encode()).hexdigest()[:12]


def already_answered() -> str:
    return _("This phone has already answered this survey: thank you, one answer is enough.")


def _write(round_, form, point, region, mode, demo, flags, clean, seconds, started_at, now,
           elapsed, device, idem, interviewer, user_agent, result, order_seed=0):  # fmt: skip
    stratum, point, county = _place(round_, point, region, demo["area"])
    # Whether the response counts as valid does not depend on the quota (an
    # out-of-quota response is flagged, never excluded). The row is written before the
    # counters, so that the rows every submission shares (the stratum's, the round's,
    # the audit chain's head) are held only for the few statements before the commit.
    quality, reason = verdict(round_, flags)
    valid = int(quality != c.Quality.EXCLUDED)
    response = Response.objects.create(
        round=round_, form=form, stratum_id=stratum, point=point, region=county, mode=mode,
        interviewer=interviewer, device=device, idem=idem, user_agent=user_agent[:20],
        started_at=started_at or now, submitted_at=now, seconds=elapsed, answers=clean,
        order_seed=order_seed,
        item_seconds=seconds, consent_at=started_at or now, **demo,
        total=result.total,
        dimension_scores={k: float(v) for k, v in result.dimension_scores.items()},
        tier=result.tier, literate=result.literate, quality=quality,
        flags=[str(f) for f in flags], excluded_reason=reason,
    )  # fmt: skip
    filled, allocated = _count(Stratum, stratum, valid)
    full = allocated and filled >= allocated
    if point is not None:
        had, quota = _count(SamplePoint, point.pk)
        full = full or (quota and had >= quota)
    if full:
        flags.append(c.QualityFlag.OUT_OF_QUOTA)
        response.quality, response.excluded_reason = verdict(round_, flags)
        response.flags = [str(f) for f in flags]
        response.save(update_fields=["quality", "flags", "excluded_reason"])
    SurveyRound.objects.filter(pk=round_.pk).update(
        response_count=F("response_count") + 1, valid_count=F("valid_count") + valid
    )
    audit.record(
        "literacy.response.submitted", obj=response, actor=interviewer,
        object_repr=f"{round_.name} · {county.name}"[:200], region_code=county.code,
        detail={"mode": mode, "quality": response.quality, "flags": response.flags},
    )  # fmt: skip
    return response


def _count(model, pk, valid=None) -> tuple[int, int]:
    """Add a response to a stratum's (with `valid`) or a point's counters in one
    statement, which locks the row until the commit (what makes "quota met" exact under
    concurrency); returns (the count before it — valid responses for a stratum, all for
    a point —, the allocation or quota)."""
    table = connection.ops.quote_name(model._meta.db_table)
    if valid is None:
        sql = (
            f"UPDATE {table} SET responses = responses + 1 WHERE id = %s "  # noqa: S608
            "RETURNING responses - 1, quota"
        )
        params = [pk]
    else:
        sql = (
            f"UPDATE {table} SET responses = responses + 1, valid = valid + %s "  # noqa: S608
            "WHERE id = %s RETURNING valid - %s, allocated"
        )
        params = [valid, pk, valid]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise DomainError(_("This questionnaire is not one of this survey's."))
    return int(row[0]), int(row[1])


# -- bulk (the demo and the benchmark) --------------------------------------------------


@transaction.atomic
def bulk_responses(round_, rows, *, actor, batch_size=2000) -> int:
    """Many complete responses at once with the same checks and the same scoring,
    vectorized per form; one audit entry. Rows: {"form", "stratum", "point" (optional),
    "answers", "item_seconds", "seconds", "submitted_at", "idem", "device", "mode",
    sex/age_band/education/area/occupation/key_group}. Refused whole on a bad row."""
    scope_check = actor is not None
    if scope_check:
        scope.check(actor, round_, "change")
    forms = {f.pk: f for f in round_.forms.all()}
    strata = {s.pk: s for s in round_.strata.all()}
    scheme = scheme_of(round_.instrument_id)
    by_form: dict = {}
    for i, row in enumerate(rows):
        form = row["form"] if isinstance(row["form"], Form) else forms.get(row["form"])
        if form is None or form.pk not in forms:
            raise DomainError(_("Row %(n)d: not a form of this round.") % {"n": i + 1})
        if row["stratum"] not in strata:
            raise DomainError(_("Row %(n)d: not a stratum of this round.") % {"n": i + 1})
        by_form.setdefault(form.pk, []).append(i)
    seen_devices = set(
        Response.objects.filter(round=round_).exclude(device="").values_list("device", flat=True)
    )
    objs = [None] * len(rows)
    for form_pk, indexes in by_form.items():
        slots = slots_of(forms[form_pk])
        keys = np.array([s.key for s in slots], dtype=object)
        matrix = np.empty((len(indexes), len(slots)), dtype=object)
        for r, i in enumerate(indexes):
            answers = rows[i]["answers"]
            if set(answers) - {str(s.item) for s in slots}:
                raise DomainError(
                    _("Row %(n)d: an answer to an item not on the form.") % {"n": i + 1}
                )
            matrix[r] = [answers.get(str(s.item), "") for s in slots]
        _check_options(slots, matrix, indexes)
        dim_cents, totals, tiers, literate = scoring.score_matrix(scheme, slots, matrix == keys)
        for r, i in enumerate(indexes):
            row = rows[i]
            flags = quality_flags(round_, slots, row["answers"], row.get("seconds", 0))
            device = row.get("device", "")
            if device and device in seen_devices:
                flags.append(c.QualityFlag.DUPLICATE_DEVICE)
                device = ""
            seen_devices.add(device)
            quality, reason = verdict(round_, flags)
            stratum = strata[row["stratum"]]
            objs[i] = Response(
                round=round_, form_id=form_pk, stratum=stratum, point_id=row.get("point"),
                region_id=stratum.region_id, mode=row.get("mode", c.Mode.SELF), device=device,
                idem=row["idem"], user_agent=row.get("user_agent", ""),
                started_at=row["submitted_at"], submitted_at=row["submitted_at"],
                seconds=row.get("seconds", 0), answers=row["answers"],
                item_seconds=row.get("item_seconds", {}), consent_at=row["submitted_at"],
                **{k: row.get(k, "") for k in DEMOGRAPHICS},
                total=(int(totals[r]) / 100) if scheme.scored else None,
                dimension_scores=(
                    {d: int(dim_cents[r, j]) / 100 for j, d in enumerate(scheme.dimensions)}
                    if scheme.scored else {}
                ),
                tier=tiers[r] or "", literate=bool(literate[r]) if scheme.scored else None,
                quality=quality, flags=[str(f) for f in flags], excluded_reason=reason,
            )  # fmt: skip
    Response.objects.bulk_create(objs, batch_size=batch_size)
    _recount(round_)
    audit.record(
        "literacy.response.bulk_loaded", obj=round_, actor=actor, detail={"rows": len(objs)}
    )
    return len(objs)


def _check_options(slots, matrix, indexes) -> None:
    """Every answer of the bulk rows is one of its item's options, in canonical form (as
    `check_answers` makes it): checked per item on the distinct answers, so the cost is
    one pass over the column."""
    for j, slot in enumerate(slots):
        column = matrix[:, j]
        for value in set(column.tolist()):
            text = str(value or "")
            if text and text == scoring.normalize(slot.kind, text) and slot.accepts(text):
                continue
            r = int(np.flatnonzero(column == value)[0])
            if not text:
                raise DomainError(
                    _("Row %(n)d: a question of the form is not answered.") % {"n": indexes[r] + 1}
                )
            raise DomainError(
                _("Row %(n)d: an answer is not one of its question's options.")
                % {"n": indexes[r] + 1}
            )


def _recount(round_) -> None:
    """Set the round's, strata's and points' counters from the rows (after a bulk load,
    inside its transaction)."""
    not_excluded = ~Q(quality=c.Quality.EXCLUDED)
    rows = Response.objects.filter(round=round_)
    per_stratum = rows.values("stratum_id").annotate(
        n=Count("pk"), v=Count("pk", filter=not_excluded)
    )
    strata = {s.pk: s for s in round_.strata.all()}
    for s in strata.values():
        s.responses = s.valid = 0
    for row in per_stratum.order_by():
        if row["stratum_id"] in strata:
            strata[row["stratum_id"]].responses = row["n"]
            strata[row["stratum_id"]].valid = row["v"]
    Stratum.objects.bulk_update(list(strata.values()), ["responses", "valid"], batch_size=1000)
    points = {p.pk: p for p in round_.points.all()}
    for p in points.values():
        p.responses = 0
    for pk, n in (
        rows.exclude(point=None).values_list("point_id").annotate(n=Count("pk")).order_by()
    ):
        points[pk].responses = n
    SamplePoint.objects.bulk_update(list(points.values()), ["responses"], batch_size=1000)
    totals = rows.aggregate(n=Count("pk"), v=Count("pk", filter=not_excluded))
    SurveyRound.objects.filter(pk=round_.pk).update(
        response_count=totals["n"], valid_count=totals["v"]
    )


# -- exclusion ---------------------------------------------------------------------------


def _locked_response(response) -> Response:
    return (
        Response.objects.select_for_update(of=("self",))
        .select_related("round", "region")
        .get(pk=response.pk)
    )


def _require_response(actor, response, action="exclude"):
    if actor is None:
        return
    if not scope.visible_to(actor, Response, action).filter(pk=response.pk).exists():
        raise DomainError(_("This is outside your scope."))


@transaction.atomic
def exclude_response(response, *, actor, reason) -> Response:
    """Leave a response out of the estimates, with the reason shown on it."""
    response = _locked_response(response)
    _require_response(actor, response)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": [_("Say why the response is excluded.")]})
    if response.quality == c.Quality.EXCLUDED:
        raise StateConflict(_("This response is already excluded."))
    if response.round.status not in (c.RoundStatus.OPEN, c.RoundStatus.CLOSED):
        raise StateConflict(_("Responses are judged before the round is estimated."))
    before = audit.snapshot(response)
    response.quality = c.Quality.EXCLUDED
    response.excluded_reason = reason[:200]
    response.save(update_fields=["quality", "excluded_reason"])
    _count_valid(response, -1)
    audit.record(
        "literacy.response.excluded", obj=response, actor=actor,
        changes=audit.diff(before, audit.snapshot(response)),
    )  # fmt: skip
    return response


@transaction.atomic
def restore_response(response, *, actor, reason) -> Response:
    """Bring an excluded response back (flagged if it has flags, else valid)."""
    response = _locked_response(response)
    _require_response(actor, response)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": [_("Say why the response is restored.")]})
    if response.quality != c.Quality.EXCLUDED:
        raise StateConflict(_("Only an excluded response can be restored."))
    if response.round.status not in (c.RoundStatus.OPEN, c.RoundStatus.CLOSED):
        raise StateConflict(_("Responses are judged before the round is estimated."))
    before = audit.snapshot(response)
    response.quality = c.Quality.FLAGGED if response.flags else c.Quality.VALID
    response.excluded_reason = ""
    response.save(update_fields=["quality", "excluded_reason"])
    _count_valid(response, 1)
    audit.record(
        "literacy.response.restored", obj=response, actor=actor,
        changes=audit.diff(before, audit.snapshot(response)), detail={"reason": reason[:200]},
    )  # fmt: skip
    return response


def _count_valid(response, delta: int) -> None:
    SurveyRound.objects.filter(pk=response.round_id).update(valid_count=F("valid_count") + delta)
    if response.stratum_id:
        Stratum.objects.filter(pk=response.stratum_id).update(valid=F("valid") + delta)


# -- contacts and dispositions ------------------------------------------------------------


@transaction.atomic
def record_contact(point, *, actor, outcome, note="") -> Contact:
    """An interviewer's attempt at a sample point, with its outcome."""
    round_ = point.round
    if outcome not in Contact.Outcome.values:
        raise DomainError({"outcome": [_("Choose the outcome.")]})
    if actor is not None and not round_.interviewers.filter(pk=actor.pk).exists():
        raise DomainError(_("Only the round's interviewers record contacts."))
    if round_.status != c.RoundStatus.OPEN:
        raise StateConflict(_("Contacts are recorded while the round is in the field."))
    contact = Contact.objects.create(
        round=round_, point=point, interviewer=actor if actor is not None else None,
        outcome=outcome, at=clock.now(), note=(note or "")[:200],
    )  # fmt: skip
    audit.record(
        "literacy.contact.recorded", obj=contact, actor=actor,
        object_repr=f"{point.name} · {contact.get_outcome_display()}",
        region_code=point.stratum.region.code,
    )  # fmt: skip
    return contact


def dispositions(round_, contacts=None) -> dict:
    """Contacts by outcome (and county), and the response rate in AAPOR's RR1 form:
    completes ÷ (completes + break-offs + refusals + nobody at home + eligibility
    unknown); the ineligible are left out. Self-completed responses have no contact
    attempts: their completion is responses ÷ the designed sample."""
    contacts = contacts if contacts is not None else Contact.objects.filter(round=round_)
    O = Contact.Outcome  # noqa: N806, E741
    by_outcome = dict(contacts.values_list("outcome").annotate(n=Count("pk")).order_by())
    counts = {o: by_outcome.get(o, 0) for o in O.values}
    denominator = sum(counts[o] for o in O.values if o != O.INELIGIBLE)
    by_county = {}
    rows = (
        contacts.values("point__stratum__region__name", "outcome")
        .annotate(n=Count("pk"))
        .order_by("point__stratum__region__name")
    )
    for row in rows:
        county = by_county.setdefault(
            row["point__stratum__region__name"], dict.fromkeys(O.values, 0)
        )
        county[row["outcome"]] = row["n"]
    modes = dict(
        Response.objects.filter(round=round_).values_list("mode").annotate(n=Count("pk")).order_by()
    )
    return {
        "counts": counts,
        "contacts": sum(counts.values()),
        "rr1": counts[O.COMPLETE] / denominator if denominator else None,
        "by_county": by_county,
        "responses": round_.response_count,
        "valid": round_.valid_count,
        "by_mode": {m: modes.get(m, 0) for m in c.Mode.values},
        "completion": round_.response_count / round_.sample_size if round_.sample_size else None,
    }
