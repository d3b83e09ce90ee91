"""The census margins of a region entered by hand: one section per variable with its
categories, the totals shown (and kept up to date as the officer types), saved whole
through `set_margins` or refused whole when a variable does not add up."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from kepu.core import scope
from kepu.core.forms import region_field
from kepu.core.models import Region
from kepu.core.views.common import form_page, permission_required, submit_form
from kepu.literacy.forms.rounds import MarginForm
from kepu.literacy.models import PopulationMargin
from kepu.literacy.services import margins as services


def _region_to_change(user, code: str) -> Region:
    """The region by its code: a 404 outside the user's view scope (as if it did not
    exist), a 403 where they may read its margins but not change them (a county officer
    on their province's)."""
    region = Region.objects.filter(code=code).first()
    readable = region_field(user, PopulationMargin, "view", required=False).queryset
    if region is None or not readable.filter(pk=region.pk).exists():
        raise Http404
    if not scope.allowed_regions(user, PopulationMargin, "change").filter(pk=region.pk).exists():
        raise PermissionDenied
    return region


@permission_required("literacy.populationmargin.change")
def margin_edit(request, code):
    region = _region_to_change(request.user, code)
    year = services.CENSUS_YEAR
    initial = {
        MarginForm.name_of(var, cat): n
        for var, cats in services.margins_of(region, year).items()
        for cat, n in cats.items()
    }
    form = MarginForm(request.POST or None, initial=initial, categories=services.CATEGORIES)
    back = reverse("literacy:margin_list") + f"?region={region.code}"
    done = submit_form(
        request,
        form,
        lambda: services.set_margins(
            region, year, form.rows(), actor=request.user, source=form.cleaned_data["source"]
        ),
        success=back,
        message=_("Census margins saved."),
    )
    if done:
        return done
    sections = form.sections()
    totals = [s["total"] for s in sections]
    return form_page(
        request,
        "literacy/rounds/margin_form.html",
        form,
        {
            "region": region, "year": year, "back": back, "sections": sections,
            "complete": None not in totals,
            "adds_up": None not in totals and len(set(totals)) == 1,
        },
    )  # fmt: skip
