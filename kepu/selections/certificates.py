"""Award certificates (获奖证书 / 荣誉证书) of a decided call: the PDF of one awarded entry
with a QR code to the public verification page, and the certificates of a whole call as a
background job (one PDF per awardee in one ZIP)."""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import audit, jobs
from kepu.core.errors import DomainError
from kepu.core.pdf import qr_svg, render_pdf, zip_job_output
from kepu.core.scope import visible_to
from kepu.selections import choices as c
from kepu.selections.models import Call, Entry
from kepu.selections.services.results import issuing_body

BATCH = "selections.certificate_batch"


def verify_url(base: str, code: str) -> str:
    return urljoin(base, reverse("selections:certificate_verify_code", args=[code]))


def holder(entry: Entry) -> tuple[str, str]:
    """(the holder's name, their unit) as printed."""
    name = entry.person.name if entry.person_id else entry.title
    unit = entry.organization.name if entry.organization_id else ""
    return name, unit


def render(entry: Entry, *, base: str) -> bytes:
    """The certificate's PDF, in the platform's language whatever the officer's."""
    call = entry.call
    url = verify_url(base, entry.certificate_code)
    name, unit = holder(entry)
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            "selections/results/certificate_pdf.html",
            {
                "entry": entry, "call": call, "name": name, "unit": unit,
                "title": call.award_title or call.get_honour_display() or call.title,
                "issuer": issuing_body(call),
                "decided_on": formats.date_format(call.decided_on, "DATE_FORMAT"),
                "verify_url": url, "qr": qr_svg(url),
            },
        )  # fmt: skip


def file_name(entry: Entry) -> str:
    return f"certificate-{entry.certificate_number}.pdf"


def awarded(call):
    return (
        Entry.objects.filter(call=call, status=c.EntryStatus.AWARDED)
        .select_related("call", "call__region", "person", "organization")
        .order_by("certificate_number", "pk")
    )


def start_batch(user, call: Call, *, base: str, idem=None):
    """Start the job rendering every certificate of a decided call into one ZIP."""
    if call.status != c.CallStatus.DECIDED or not awarded(call).exists():
        raise DomainError(_("This call has no awarded entries yet."))
    return jobs.start(
        BATCH, actor=user, region=call.region, params={"call": call.pk, "base": base},
        title=_("Certificates of %(call)s") % {"call": call.title}, idem=idem,
    )  # fmt: skip


@jobs.kind(BATCH, title=gettext_lazy("Award certificates of a call"), retries=2, queue="bulk")
def _batch_job(run) -> dict:
    user, params = run.actor, run.params
    # The scope and right as they are now: a role revoked since the start fails it.
    call = (
        visible_to(user, Call, "publicize", public=False).filter(pk=params["call"]).first()
        if user is not None
        else None
    )
    if call is None:
        raise DomainError(_("You may no longer export the certificates of this call."))
    entries = list(awarded(call))
    documents = [
        (file_name(e), e.certificate_number, lambda e=e: render(e, base=params["base"]))
        for e in entries
    ]
    zip_job_output(run, documents, f"certificates-call-{call.pk}.zip")
    audit.record(
        "selections.call.certificates_exported", obj=call, actor=user,
        detail={"certificates": [e.certificate_number for e in entries], "job": str(run.job.pk)},
    )  # fmt: skip
    run.outcome = _("%(n)d certificates in the ZIP file.") % {"n": len(entries)}
    return {"certificates": len(entries)}
