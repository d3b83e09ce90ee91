"""Checked fetches and the applicant rules of the catalog. Back-office reads leave out
the public rows (a published entry of another county is on the portal, not in the back
office)."""

from django.http import Http404
from django.utils.translation import gettext as _

from kepu.core.errors import DomainError
from kepu.core.scope import allowed_regions, get_for_user, member_units
from kepu.resources.models import Resource, ResourceAttachment, ReviewAssignment


def get_resource_for_user(user, pk, action="view") -> Resource:
    return get_for_user(Resource.objects.with_relations(), user, pk, action, public=False)


def get_attachment(resource, pk) -> ResourceAttachment:
    """An attachment of an entry the caller has already fetched with a scope check."""
    attachment = resource.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    return attachment


def get_public_resource(uid) -> Resource:
    """A published entry for the portal (404 otherwise)."""
    resource = Resource.objects.published().with_relations().filter(uid=uid).first()
    if resource is None:
        raise Http404
    return resource


def get_assignment_for_expert(user, pk) -> ReviewAssignment:
    """A review assigned to the expert who is `user` (404 for anyone else, however
    senior: reviews are personal)."""
    assignment = (
        ReviewAssignment.objects.select_related(
            "version", "version__resource", "version__resource__region", "reviewer", "pool"
        )
        .filter(pk=pk, reviewer__user=user, reviewer__user__isnull=False)
        .first()
    )
    if assignment is None or not user.is_authenticated:
        raise Http404
    return assignment


def expert_assignments(user):
    if not user.is_authenticated:
        return ReviewAssignment.objects.none()
    return ReviewAssignment.objects.filter(reviewer__user=user).select_related(
        "version", "version__resource", "version__resource__region"
    )


def own_units(user, action="create") -> list:
    """The organizations for which `user` may `action` entries as member-unit staff."""
    return member_units(user, Resource, action)


def may_apply_as_individual(user) -> bool:
    """A volunteer or expert with an account applies in their own name."""
    from kepu.core.scope import has_permission

    return (
        user.is_authenticated
        and has_permission(user, "resources.resource.create")
        and not allowed_regions(user, Resource, "create").exists()
        and not own_units(user)
    )


def require_applicant(user, organization, region) -> None:
    """Refuse an entry that `user` may not hold: an officer places it in their regions,
    member-unit staff in their own unit, an individual without a unit. `user` None is
    the system (demo, commands)."""
    if user is None:
        return
    if organization is None:
        if (
            not may_apply_as_individual(user)
            and not allowed_regions(user, Resource, "create").filter(pk=region.pk).exists()
        ):
            raise DomainError({"organization": _("Choose the unit that owns the resource.")})
        return
    if organization in own_units(user):
        return
    if allowed_regions(user, Resource, "create").filter(pk=region.pk).exists():
        if organization.region.path.startswith(region.path) or region.path.startswith(
            organization.region.path
        ):
            return
        raise DomainError({"organization": _("The owner unit is not in this region.")})
    raise DomainError(_("This region is outside your scope."))
