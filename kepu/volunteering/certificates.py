"""Service record certificates (志愿服务记录证明) as documents: the PDF of one
certificate, and the certificates of a whole team for one period as a background job
(one PDF per volunteer in one ZIP).

One certificate is a one-page PDF (about 0.3 s): it is made in the request. A team's are
a job: a team of 100 volunteers is half a minute of rendering.
"""

from __future__ import annotations

import datetime
import decimal
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import audit, jobs
from kepu.core.errors import DomainError
from kepu.core.pdf import qr_svg, render_pdf, zip_job_output
from kepu.core.scope import has_permission, visible_to
from kepu.people.models import Person, Team
from kepu.volunteering import services
from kepu.volunteering.models import Certificate
from kepu.volunteering.permissions import teams_for_user

BATCH = "volunteering.certificate_batch"
ISSUE = "volunteering.certificate.issue"


def hours_text(value) -> str:
    """Hours as people write them: 12.50 → "12.5", 12.00 → "12", None → "0"."""
    text = f"{decimal.Decimal(value or 0):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def verify_links(base: str, number: str) -> tuple[str, str]:
    """(the certificate's own public check, the public check form) under the site address
    `base` ("https://kepu.example.cn/")."""
    return (
        urljoin(base, reverse("volunteering:verify_number", args=[number])),
        urljoin(base, reverse("volunteering:verify")),
    )


def _long_date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _fill(value) -> str:
    """A value written into the certificate's sentence (underlined, like ink on a form)."""
    return format_html('<span class="fill">{}</span>', value)


def certificate_context(certificate: Certificate, *, url: str, page: str) -> dict:
    """What the certificate template shows; `url` is the certificate's own check (in the
    QR code), `page` the public check form for typing the number."""
    team = certificate.team
    hours = hours_text(certificate.total_hours)
    start = _long_date(certificate.period_start)
    end = _long_date(certificate.period_end)
    return {
        "certificate": certificate,
        "team": team,
        "organization": team.organization,
        "hours": hours,
        "period_start": start,
        "period_end": end,
        "issued_on": _long_date(timezone.localtime(certificate.issued_at).date()),
        "fill": {
            "name": _fill(certificate.holder_name),
            "start": _fill(start),
            "end": _fill(end),
            "team": _fill(team.name),
            "count": _fill(certificate.entries),
            "hours": _fill(hours),
        },
        "verify_url": url,
        "verify_page": page,
        "qr": qr_svg(url),
    }


def render(certificate: Certificate, *, url: str, page: str) -> bytes:
    """The certificate's PDF: an official document in the platform's language, whatever
    the officer's page language."""
    with translation.override(settings.LANGUAGE_CODE):
        context = certificate_context(certificate, url=url, page=page)
        return render_pdf("volunteering/certificate_pdf.html", context)


def _pdf(certificate: Certificate, base: str) -> bytes:
    url, page = verify_links(base, certificate.number)
    return render(certificate, url=url, page=page)


def pdf_name(certificate: Certificate) -> str:
    return f"certificate-{certificate.number}.pdf"


# --- a team's certificates in one ZIP --------------------------------------------------


def batch_teams(user):
    """Teams whose volunteers' certificates the user may issue in one batch."""
    if not has_permission(user, ISSUE):
        return Team.objects.none()
    return teams_for_user(user)


def batch_people(user, team, period_start, period_end):
    """The volunteers a batch certifies: approved hours with the team in the period, in
    the user's data scope (as on a volunteer's own page), never an erased record."""
    people = services.certifiable_people(team, period_start, period_end)
    return people.filter(pk__in=visible_to(user, Person).values("pk"))


def start_batch(user, team, period_start, period_end, *, base: str, idem=None):
    """Start the job issuing (or re-using) and rendering the certificates of every
    volunteer of `team` for the period. `base`: the site's address, for the QR codes."""
    return jobs.start(
        BATCH,
        actor=user,
        region=team.region,
        params={
            "team": team.pk,
            "period_start": period_start.isoformat(),
            "period_end": period_end.isoformat(),
            "base": base,
        },
        title=_("Certificates of %(team)s (%(start)s – %(end)s)")
        % {"team": team.name, "start": period_start, "end": period_end},
        idem=idem,
    )


def _archive_name(certificate: Certificate) -> str:
    """The file of one volunteer in the ZIP: number and name, so the officer finds each
    person's certificate (the name is printed on the certificate anyway)."""
    name = "".join(ch for ch in certificate.holder_name if ch not in '/\\:*?"<>|').strip()
    return f"certificate-{certificate.number}-{name or 'x'}.pdf"


@jobs.kind(BATCH, title=gettext_lazy("Certificates of a team"), retries=2, queue="bulk")
def _batch_job(run) -> dict:
    user = run.actor
    params = run.params
    # The permission and scope as they are now: a role revoked since the start fails it.
    team = (
        batch_teams(user).filter(pk=params["team"]).select_related("organization").first()
        if user is not None
        else None
    )
    if team is None:
        raise DomainError(_("You may no longer issue certificates for this team."))
    start = datetime.date.fromisoformat(params["period_start"])
    end = datetime.date.fromisoformat(params["period_end"])
    people = list(batch_people(user, team, start, end))
    if not people:
        raise DomainError(_("No volunteer has approved hours with this team in the period."))
    certificates, issued = [], 0
    for done, person in enumerate(people):
        run.progress(done, len(people), _("Issuing the certificates"))
        certificate, new = services.issue_team_certificate(
            actor=user, person=person, team=team, period_start=start, period_end=end
        )
        certificate.team = team  # with its organization, for the template
        certificates.append(certificate)
        issued += new
    documents = [
        (_archive_name(cert), cert.number, lambda cert=cert: _pdf(cert, params["base"]))
        for cert in certificates
    ]
    zip_job_output(run, documents, f"certificates-team-{team.pk}-{start:%Y%m%d}-{end:%Y%m%d}.zip")
    audit.record(
        "volunteering.certificate.exported",
        obj=team,
        actor=user,
        detail={
            "period": [start.isoformat(), end.isoformat()],
            "certificates": [cert.number for cert in certificates],
            "issued": issued,
            "job": str(run.job.pk),
        },
    )
    run.outcome = _(
        "%(n)d certificates in the ZIP file: %(new)d newly issued, %(old)d issued before."
    ) % {"n": len(certificates), "new": issued, "old": len(certificates) - issued}
    return {"certificates": len(certificates), "issued": issued}
