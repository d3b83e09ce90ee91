"""Certificates of a round: 参赛证书 (participation, with the score) for anyone with a
standing once the results are published, 获奖证书 (prize) for a prize of the final list.

Issued on demand: the `Certificate` row (its public verification code) is made the first
time the holder downloads it, never a million rows up front; the PDF is rendered with the
platform's Chinese fonts (`core.pdf`) and carries a QR code to the public verification
page. Officers download the prize certificates of a round in one ZIP (a background job)."""

from __future__ import annotations

from urllib.parse import urljoin

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.contests import choices as c
from kepu.contests.models import Certificate, ContestRound, Participant, Prize
from kepu.contests.services import prizes as prize_services
from kepu.contests.services.rankings import masked_name
from kepu.core import audit, jobs
from kepu.core.errors import DomainError, StateConflict
from kepu.core.pdf import qr_svg, render_pdf, zip_job_output
from kepu.core.scope import visible_to

BATCH = "contests.certificate_batch"


def verify_url(base: str, code: str) -> str:
    return urljoin(base, reverse("contests:certificate_verify", args=[code]))


def issue(round_: ContestRound, participant: Participant, kind: str) -> Certificate:
    """The participant's certificate of this kind for the round, made the first time
    (audited then, by the system: the holder asked for it). Refused before the results
    are published, without a standing, or (prize) without a final prize."""
    if round_.status != c.RoundStatus.PUBLISHED:
        raise StateConflict(_("Certificates are issued once the round's results are published."))
    standing = prize_services.standing_of(round_, participant.pk)
    if standing is None:
        raise DomainError(_("You have no counted result in this round."))
    prize = None
    if kind == c.CertificateKind.PRIZE:
        prize = prize_services.final_prize_of(round_, participant.pk)
        if prize is None:
            raise DomainError(_("You have no prize in this round's final prize list."))
    elif kind != c.CertificateKind.PARTICIPATION:
        raise DomainError(_("Unknown kind of certificate."))
    found = Certificate.objects.filter(round=round_, participant=participant, kind=kind).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                round=round_, participant=participant, kind=kind, prize=prize,
                score=standing.score,
            )  # fmt: skip
            audit.record(
                "contests.certificate.issued", obj=certificate, actor=None,
                detail={"kind": kind, "code": certificate.code},
            )  # fmt: skip
    except IntegrityError:  # the same download at the same moment (a double tap)
        return Certificate.objects.get(round=round_, participant=participant, kind=kind)
    return certificate


def find(code: str) -> Certificate | None:
    """The certificate of a verification code (exact, case-insensitive), or None."""
    code = (code or "").strip().upper()
    if not code or len(code) > 12:
        return None
    return (
        Certificate.objects.filter(code=code)
        .select_related("round", "round__contest", "participant", "prize")
        .first()
    )


def issuer(round_: ContestRound) -> str:
    """The body that confers the certificate: the contest's organizing unit, else the
    organizing region's science association."""
    from kepu.core.choices import OrgType
    from kepu.core.models import Organization

    contest = round_.contest
    if contest.organizer_id:
        return contest.organizer.name
    org = (
        Organization.objects.filter(region=contest.region_id, org_type=OrgType.SCIENCE_ASSOCIATION)
        .order_by("pk")
        .first()
    )
    return org.name if org else contest.region.name


def verification(certificate: Certificate) -> dict:
    """What the public verification page shows (the name masked)."""
    return {
        "name": masked_name(certificate.participant.name),
        "contest": certificate.round.contest.title, "round": certificate.round.title,
        "kind": certificate.get_kind_display(), "score": certificate.score,
        "prize": certificate.prize.get_tier_display() if certificate.prize_id else "",
        "issued": certificate.issued_at, "revoked": certificate.revoked,
    }  # fmt: skip


def render(certificate: Certificate, *, base: str) -> bytes:
    """The certificate's PDF, in the platform's language whatever the requester's."""
    round_ = certificate.round
    url = verify_url(base, certificate.code)
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(
            "contests/results/certificate_pdf.html",
            {
                "certificate": certificate, "round": round_, "contest": round_.contest,
                "name": certificate.participant.name, "unit": certificate.participant.unit,
                "prize": certificate.prize.get_tier_display() if certificate.prize_id else "",
                "issuer": issuer(round_),
                "issued_on": formats.date_format(
                    timezone.localtime(certificate.issued_at).date(), "DATE_FORMAT"
                ),
                "verify_url": url, "qr": qr_svg(url),
            },
        )  # fmt: skip


def file_name(certificate: Certificate) -> str:
    return f"certificate-{certificate.code}.pdf"


def winners(round_: ContestRound):
    """The person prizes of the round's final list, not withdrawn, in rank order."""
    return (
        Prize.objects.filter(
            prize_list__round=round_, prize_list__status=c.PrizeListStatus.FINAL,
            participant__isnull=False, withdrawn=False,
        )
        .select_related("participant")
        .order_by("rank", "pk")
    )  # fmt: skip


def start_batch(user, round_: ContestRound, *, base: str, idem=None):
    """Start the job rendering the prize certificates of a round into one ZIP."""
    if not winners(round_).exists():
        raise DomainError(_("This round has no final prize list with prize winners."))
    return jobs.start(
        BATCH, actor=user, region=round_.contest.region, idem=idem,
        params={"round": round_.pk, "base": base},
        title=_("Prize certificates of %(round)s") % {"round": str(round_)},
    )  # fmt: skip


@jobs.kind(BATCH, title=gettext_lazy("Prize certificates of a contest round"), retries=2,
           queue="bulk")  # fmt: skip
def _batch_job(run) -> dict:
    user, params = run.actor, run.params
    # The scope and right as they are now: a role revoked since the start fails it.
    round_ = (
        visible_to(user, ContestRound.objects.with_relations(), "export", public=False)
        .filter(pk=params["round"])
        .first()
        if user is not None
        else None
    )
    if round_ is None:
        raise DomainError(_("You may no longer export the certificates of this round."))
    certificates = [
        issue(round_, prize.participant, c.CertificateKind.PRIZE) for prize in winners(round_)
    ]
    documents = [
        (file_name(cert), cert.code, lambda cert=cert: render(cert, base=params["base"]))
        for cert in certificates
    ]
    zip_job_output(run, documents, f"certificates-round-{round_.pk}.zip")
    audit.record(
        "contests.contestround.certificates_exported", obj=round_, actor=user,
        detail={"certificates": [cert.code for cert in certificates], "job": str(run.job.pk)},
    )  # fmt: skip
    run.outcome = _("%(n)d certificates in the ZIP file.") % {"n": len(certificates)}
    return {"certificates": len(certificates)}
