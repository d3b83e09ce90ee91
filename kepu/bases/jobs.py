"""Background jobs of the bases app (`kepu.core.jobs`), one block per area."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kepu.core import jobs, schedules

# -- registry --


@jobs.kind("bases.expire", title=gettext_lazy("Expire bases at the end of their cycle"), retries=2)
def expire_bases(run) -> dict:
    """Expire the listed bases whose validity has ended. Safe to repeat: a second run
    finds none left to expire."""
    from kepu.bases.services import expire_bases as expire

    n = expire()
    run.outcome = _("%(n)d bases expired.") % {"n": n}
    return {"expired": n}


schedules.daily(
    "bases.expire",
    "bases.expire",
    title=gettext_lazy("Expire bases at the end of their cycle"),
    at="00:40",
)


# (keep these blank lines: each area edits its own block)
