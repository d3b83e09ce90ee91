"""The public privacy notices: `/privacy/<purpose>/` shows the version of a purpose in
force, with the earlier versions a consent may point to. Each public form links here and
shows the same text folded (`core/partials/_privacy_notice.html`)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from kepu.core import clock
from kepu.core.choices import NoticePurpose
from kepu.core.models import PrivacyNotice
from kepu.core.publiccache import public_page

PUBLIC_TAG = "core.privacy"
EARLIER_SHOWN = 20


@require_safe
@public_page(PUBLIC_TAG)
def privacy_notice(request, purpose):
    if purpose not in NoticePurpose.values:
        raise Http404
    versions = list(
        PrivacyNotice.objects.filter(purpose=purpose, effective_at__lte=clock.now()).order_by(
            "-effective_at", "-pk"
        )[: EARLIER_SHOWN + 1]
    )
    if not versions:  # a reserved purpose (survey, contest) without a notice yet
        raise Http404
    return render(
        request,
        "core/privacy/notice.html",
        {
            "notice": versions[0],
            "earlier": versions[1:],
            "purpose_label": NoticePurpose(purpose).label,
        },
    )
