"""What awaits the signed-in user in the statistics survey (core.workbench providers;
each area adds its own in its block)."""

from kepu.core import workbench  # noqa: F401

# -- entry --


workbench.link("stats.return", "stats:return_form")


@workbench.register
def returns_to_fill(user, focus):
    """Units' staff: their statistics returns to fill (not yet submitted) and those the
    county returned to them."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from kepu.core import clock, scope
    from kepu.stats import choices as c
    from kepu.stats.models import Return

    units = [o.pk for o in scope.member_units(user, Return, "fill")]
    if not units:
        return
    url = reverse("stats:my_returns")
    rows = Return.objects.filter(
        organization_id__in=units,
        status__in=c.EDITABLE_RETURN,
        round__status=c.RoundStatus.OPEN,
    )
    yield workbench.todo(
        "stats.returns.fill",
        _("Statistics returns to fill"),
        url,
        rows.exclude(status=c.ReturnStatus.RETURNED),
        date_field="round__units_due",
        overdue=rows.filter(round__units_due__lt=clock.today()),
        icon="file-spreadsheet",
    )
    yield workbench.todo(
        "stats.returns.returned",
        _("Statistics returns returned to you"),
        f"{url}?status=returned",
        rows.filter(status=c.ReturnStatus.RETURNED),
        date_field="updated_at",
        icon="alert-triangle",
    )


# (keep these blank lines: each area edits its own block)


# -- workflow --


# (keep these blank lines: each area edits its own block)
