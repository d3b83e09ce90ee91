"""Demo of the results area, driven through its services (the lead chains them after the
review demo): a finished works selection (its 公示 in the past, one objection dismissed,
the results published with certificates) and a call whose 公示 runs today."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kepu.core import clock
from kepu.core.models import User
from kepu.selections import choices as c
from kepu.selections.services import results

OFFICER = "demo-province"


def _at(day: datetime.date, hour=10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _officer():
    return User.objects.filter(username=OFFICER).first()


def finish_works_selection(call, *, objection_text="该作品部分内容疑似引用他人成果，请核实。"):
    """A call at its panel meeting, finished: the default candidates put on notice a
    month ago, an objection to the first one answered (dismissed) during the notice, the
    results decided after it (by the province's officer; the notice was started by the
    system, so four-eyes holds). Returns the awarded entries. Idempotent on a decided
    call."""
    if call.status == c.CallStatus.DECIDED:
        return list(call.entries.filter(status=c.EntryStatus.AWARDED))
    officer = _officer()
    length = call.publicity_days + (call.publicity_days // 5) * 2 + 4
    start = clock.today() - datetime.timedelta(days=length + 14)
    with clock.frozen(_at(start)):
        chosen = results.default_candidates(call)
        results.start_publicity(call, actor=None, entries=chosen)
    call.refresh_from_db()
    first = call.entries.filter(status=c.EntryStatus.CANDIDATE).order_by("corrected_rank").first()
    if first is not None:
        with clock.frozen(_at(start + datetime.timedelta(days=1), 15)):
            objection, _new = results.file_objection(
                first, name="张某某", phone="13700001234", text=objection_text,
                client_key="3b1d6f0e-5a7c-4c1f-8d55-6d1a2e9b0c01",
            )  # fmt: skip
        with clock.frozen(_at(start + datetime.timedelta(days=2))):
            results.answer_objection(
                objection, actor=officer, upheld=False,
                answer="经组织专家核实，引用部分已规范标注，异议不成立。",
            )  # fmt: skip
    decided = call.publicity_to + datetime.timedelta(days=3)
    with clock.frozen(_at(decided)):
        return results.decide_call(
            call, actor=officer, decision_number=f"川科协发〔{decided.year}〕{call.pk}号",
            decided_on=decided,
        )  # fmt: skip


def publicity_demo(call):
    """A call at its panel meeting, put on notice today with the default candidates (the
    public page shows them and accepts objections). Idempotent."""
    if call.status != c.CallStatus.PANEL:
        return call
    return results.start_publicity(call, actor=_officer(), entries=results.default_candidates(call))
