"""Background work of the people registry: the regions' monthly figures of information
officers (`people.officer_months`), daily and after each import of activity."""

from django.utils.translation import gettext_lazy as _

from kepu.core import jobs, schedules


@jobs.kind(
    "people.officer_months",
    title=_("Compute the information officers' monthly figures"),
    retries=1,
)
def officer_months(run) -> dict:
    """One month (`params.month`, an ISO date) or the current and the last month; a rerun
    rewrites the same rows (safe to repeat)."""
    import datetime

    from kepu.people.officer_months import compute_month, recent_months

    raw = (run.params or {}).get("month")
    months = [datetime.date.fromisoformat(raw)] if raw else recent_months()
    written = 0
    for done, month in enumerate(months):
        written += compute_month(month)
        run.progress(done + 1, len(months), f"{month:%Y-%m}")
    run.outcome = str(_("%(n)d regional monthly figures computed.")) % {"n": written}
    return {"rows": written, "months": [f"{m:%Y-%m}" for m in months]}


schedules.daily(
    "people.officer_months",
    "people.officer_months",
    title=_("Compute the information officers' monthly figures"),
    at="03:10",
)
