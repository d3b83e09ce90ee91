from django.utils.translation import gettext_lazy as _

from kepu.core import navigation as nav

nav.add(
    nav.MY_WORK,
    _("My expert reviews"),
    "resources:expert_list",
    "resources.review.file",
    "certificate",
)
nav.add(nav.RESOURCES, _("Resources"), "resources:resource_list", "resources.resource.view", "book")
nav.add(
    nav.RESOURCES,
    _("Listing queue"),
    "resources:queue",
    "resources.resource.check",
    "checklist",
)
