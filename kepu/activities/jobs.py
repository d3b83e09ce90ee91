"""Activities' periodic jobs."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from kepu.activities.models import SignUp
from kepu.core import clock, jobs, retention, schedules

# The sign-up notice (core migration 0013, purpose "signup") promises: kept one year from
# the end of the activity, then deleted or anonymised.
SIGNUP_KEEP_DAYS = 365


def anonymise_expired_signups(now=None) -> int:
    """Clear the name and phone of the sign-ups of activities that ended more than
    SIGNUP_KEEP_DAYS ago. The row stays, with its ticket, status, group and check-in,
    so the attendance figures and statistics keep their counts; a purged phone hash is
    unique per row ("purged:<pk>"), so the one-place-per-phone rule still holds. Safe
    to repeat: a cleared row is not selected again."""
    cutoff = (now or clock.now()) - timedelta(days=SIGNUP_KEEP_DAYS)
    due = SignUp.objects.filter(activity__ends_at__lt=cutoff).exclude(phone_enc="")
    values = {
        "name": "",
        "phone_enc": "",
        "phone_masked": "",
        "phone_hash": retention.purged_hash(),
    }
    return retention.anonymise(due, values, action="activities.signup.anonymised", cutoff=cutoff)


@jobs.kind(
    "activities.purge_signups",
    title=_("Anonymise sign-ups past their retention"),
    retries=2,
)
def purge_signups(run) -> dict:
    n = anonymise_expired_signups()
    run.outcome = _("%(n)d sign-ups of activities ended over a year ago anonymised.") % {"n": n}
    return {"anonymised": n}


schedules.daily(
    "activities.purge_signups",
    "activities.purge_signups",
    title=_("Anonymise sign-ups past their retention"),
    at="03:20",
)
