"""Public survey responses under load (issue 20): the data the load needs and the count
of what it stored, run against the bench database in a process of its own.

    python -m bench.literacy_survey prepare RUN COUNT FILE   # -> {"path": ..., "round": pk}
    python -m bench.literacy_survey count ROUND              # -> {"rows", "distinct", "ids"}

`prepare` opens a round of its own for this run (锦江区, the 2024 national structure,
through the rounds services; approved bank items and the demo census margins are added
first when the database has none) and writes COUNT complete questionnaires, one per line,
as the page posts them: a start token signed with the server's key (its own nonce, the
form of the rotation, a start 20 minutes ago so that no response is a speeder), the
answers to every item of that form, demographics and consent, and the CSRF field
matching the cookie bench/run.py sends. `count` reads the responses of that round: rows,
distinct nonces and their receipt numbers (what the thank-you redirect carries)."""

from __future__ import annotations

import datetime
import json
import os
import random
import secrets
import sys
from urllib.parse import urlencode

COUNTY = "510104"
CSRF = "b" * 32  # the CSRF cookie and field of every request (bench/run.py sends it)


def prepare(run: str, count: str, path: str) -> dict:
    from django.core import signing

    from kepu.core import clock
    from kepu.core.models import Region
    from kepu.literacy import choices as c
    from kepu.literacy.models import Item, PopulationMargin
    from kepu.literacy.services import margins, rounds
    from kepu.literacy.services.fielding import slots_of
    from kepu.literacy.tests import helpers_rounds as h
    from kepu.literacy.views import questionnaire as q

    province, county = Region.objects.get(code="51"), Region.objects.get(code=COUNTY)
    if not Item.objects.filter(
        instrument__code=h.NATIONAL, status=c.ItemStatus.APPROVED, region=province
    ).exists():
        h.bank(province, prefix=f"BENCH{run}")
    if not PopulationMargin.objects.filter(region=county).exists():
        margins.load_demo_margins(province, actor=None)
    round_ = rounds.create_round(
        county, actor=None, **h.round_fields(name=f"压测调查 {run}", min_per_stratum=30)
    )
    rounds.build_frame(round_, actor=None)
    rounds.allocate_sample(round_, actor=None)
    rounds.assemble_forms(round_, actor=None)
    round_ = rounds.open_round(round_, actor=None)
    forms = list(round_.forms.order_by("label"))
    slots = {f.pk: slots_of(f) for f in forms}
    rng = random.Random(run)  # noqa: S311 (test data)
    started = (clock.now() - datetime.timedelta(minutes=20)).timestamp()
    demographics = {"sex": "f", "education": "senior", "occupation": "service", "key_group": ""}
    with open(path, "w") as out:
        for n in range(int(count)):
            form = forms[n % len(forms)]
            token = signing.dumps(
                {"r": round_.pk, "f": form.pk, "p": None, "t": started,
                 "s": rng.randrange(2**31), "n": secrets.token_urlsafe(16)},
                salt=q.SALT,
            )  # fmt: skip
            fields = {
                "csrfmiddlewaretoken": CSRF, "start": token, "item_seconds": "{}",
                "age": rng.randint(18, 69), "area": rng.choice(["urban", "rural"]),
                "county": county.pk, "consent": "on", **demographics,
            }  # fmt: skip
            for slot in slots[form.pk]:
                right = slot.key and rng.random() < 0.6
                fields[f"q{slot.item}"] = slot.key if right else rng.choice(slot.options)
            out.write(urlencode(fields) + "\n")
    return {"path": f"/survey/{round_.token}/", "round": round_.pk}


def count(round_pk: str) -> dict:
    from kepu.literacy.models import Response
    from kepu.literacy.services.fielding import receipt_of

    idems = list(Response.objects.filter(round_id=int(round_pk)).values_list("idem", flat=True))
    return {"rows": len(idems), "distinct": len(set(idems)), "ids": [receipt_of(i) for i in idems]}


def main(what: str, *args: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kepu.settings")
    import django

    django.setup()
    result = {"prepare": prepare, "count": count}[what](*args)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main(*sys.argv[1:])
