from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav

RESOURCES = _("Resource catalog")

nav.add(RESOURCES, _("Resources"), "resources:resource_list", "resources.resource.view", "book")
nav.add(
    RESOURCES,
    _("Listing queue"),
    "resources:queue",
    "resources.resource.check",
    "checklist",
)
nav.add(
    RESOURCES,
    _("My expert reviews"),
    "resources:expert_list",
    "resources.review.file",
    "certificate",
)
