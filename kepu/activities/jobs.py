"""Activities' periodic jobs."""

from datetime import timedelta

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from kepu.activities.models import SignUp
from kepu.core import audit, clock, jobs, schedules

# The sign-up notice (core migration 0013, purpose "signup") promises: kept one year from
# the end of the activity, then deleted or anonymised.
SIGNUP_KEEP_DAYS = 365
BATCH = 5000


def anonymise_expired_signups(now=None) -> int:
    """Clear the name and phone of the sign-ups of activities that ended more than
    SIGNUP_KEEP_DAYS ago. The row stays, with its ticket, status, group and check-in,
    so the attendance figures and statistics keep their counts; a purged phone hash is
    unique per row ("purged:<pk>"), so the one-place-per-phone rule still holds. Safe
    to repeat: a cleared row is not selected again."""
    cutoff = (now or clock.now()) - timedelta(days=SIGNUP_KEEP_DAYS)
    due = SignUp.objects.filter(activity__ends_at__lt=cutoff).exclude(phone_enc="")
    total = 0
    while True:
        with transaction.atomic():
            ids = list(due.order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not ids:
                break
            total += SignUp.objects.filter(pk__in=ids).update(
                name="",
                phone_enc="",
                phone_masked="",
                phone_hash=Concat(Value("purged:"), Cast("pk", CharField())),
            )
            audit.record(
                "activities.signup.anonymised",
                object_type="activities.signup",
                detail={"before": cutoff.isoformat(), "count": len(ids)},
            )
    return total


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
