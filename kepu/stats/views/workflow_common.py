"""What the workflow pages share: the officer's own region and the region a page
looks at (`?region=<id>`, within scope)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kepu.core.models import Region
from kepu.core.scope import allowed_regions, granting_assignments, scope_roots
from kepu.stats.models import RegionApproval, Return, SurveyRound


def own_region(user) -> Region:
    """The officer's region (the top of their scope); 403 for users without one."""
    roots = scope_roots(user)
    if not roots:
        raise PermissionDenied
    return roots[0]


def focus_region(request, survey: SurveyRound, model=Return) -> Region:
    """`?region=<id>` when the user reaches it and it is in the survey's region, else the
    officer's own region (404 for a region out of reach)."""
    raw = request.GET.get("region", "")
    if not raw:
        region = own_region(request.user)
    else:
        try:
            pk = int(raw)
        except ValueError:
            raise Http404 from None
        region = allowed_regions(request.user, model, "view").filter(pk=pk).first()
        if region is None:
            raise Http404
    if not region.is_within(survey.region):
        raise Http404
    return region


def approves(user, region: Region) -> bool:
    """The region's own officers approve it."""
    return any(a.region_id == region.pk for a in granting_assignments(user, RegionApproval,
                                                                       "approve"))  # fmt: skip


def returns_approval(user, region: Region) -> bool:
    """The parent's officers return a region's approval."""
    return region.parent_id is not None and any(
        a.region_id == region.parent_id
        for a in granting_assignments(user, RegionApproval, "approve")
    )
