"""The questionnaire both the public and the interviewers fill: the form chosen in
rotation, the items in an order shuffled per respondent (the seed travels in a signed
start token with the server's start time and the idempotency nonce), the answers read
from the post keyed by item id, and the device cookie."""

import json
import random
import secrets

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from kepu.core import clock, crypto
from kepu.literacy import choices as c
from kepu.literacy.models import Form

SALT = "literacy.survey.start"
MAX_AGE = 12 * 3600  # a questionnaire started more than 12 hours ago is started again
DEVICE_COOKIE = "kepu_survey_device"
DEVICE_SALT = "literacy.survey.device"


def choose_form(round_):
    """The next form in rotation (by the number of responses so far)."""
    from kepu.literacy.services.fielding import frame_of

    forms = frame_of(round_).forms
    if not forms:
        return None
    return forms[round_.response_count % len(forms)]


def start_token(round_, form, point=None) -> str:
    return signing.dumps(
        {
            "r": round_.pk, "f": form.pk, "p": point.pk if point else None,
            "t": clock.now().timestamp(), "s": secrets.randbelow(2**31),
            "n": secrets.token_urlsafe(16),
        },
        salt=SALT,
    )  # fmt: skip


def read_token(text, round_):
    """The start token's content, or None when forged, expired or of another round."""
    try:
        data = signing.loads(text or "", salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("r") != round_.pk:
        return None
    return data


def questions(form: Form, seed: int, posted: dict | None = None) -> list:
    """[(dimension name, [item dicts])] with the items shuffled per respondent inside
    each dimension (the form's dimension order kept). A questionnaire shown again after
    a refusal keeps the answers given (`posted`) and marks the questions left open."""
    rows = form.slots.select_related("item__dimension").order_by("position")
    groups: dict = {}
    for slot in rows:
        item = slot.item
        if item.kind == c.ItemKind.TRUE_FALSE:
            options = [("T", _("True")), ("F", _("False"))]
        else:
            options = [(str(o.get("key", "")), o.get("text", "")) for o in item.options or []]
        groups.setdefault((item.dimension.position, item.dimension.name), []).append(
            {
                "pk": item.pk,
                "stem": item.stem,
                "kind": item.kind,
                "options": options,
                "multiple": item.kind == c.ItemKind.MULTIPLE,
                "chosen": (posted or {}).get(str(item.pk), ""),
                "missing": posted is not None and not (posted or {}).get(str(item.pk)),
            }  # fmt: skip
        )
    rng = random.Random(seed)  # noqa: S311 (an order, not a secret)
    out = []
    for (_pos, name), items in sorted(groups.items()):
        rng.shuffle(items)
        out.append((name, items))
    return out


def posted_answers(post) -> dict:
    """{"<item pk>": answer} from fields named q<pk> (several values of a multiple choice
    joined). Anything named like an answer is passed on: the service refuses items that
    are not on the form."""
    out = {}
    for name in post:
        if name.startswith("q") and name[1:].isdigit():
            out[name[1:]] = "".join(v for v in post.getlist(name) if len(v) <= 4)[:12]
    return out


def posted_seconds(post) -> dict:
    try:
        data = json.loads(post.get("item_seconds") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def device_of(request, round_) -> tuple[str, str | None]:
    """(keyed hash for the response, new cookie value to set or None)."""
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)
    new = None
    if not value:
        value = new = secrets.token_urlsafe(18)
    return crypto.blind_index(f"{round_.pk}:{value}"), new


def set_device(response, value):
    if value:
        response.set_signed_cookie(
            DEVICE_COOKIE, value, salt=DEVICE_SALT, max_age=400 * 86400, httponly=True,
            samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
        )  # fmt: skip
    return response


def user_agent_kind(request) -> str:
    agent = request.META.get("HTTP_USER_AGENT", "").lower()
    if "mobile" in agent or "android" in agent or "iphone" in agent:
        return "phone"
    if "ipad" in agent or "tablet" in agent:
        return "tablet"
    return "computer" if agent else ""
