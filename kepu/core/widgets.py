from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.core import regiontree
from kepu.core.models import Region


class RegionCascadeWidget(forms.Widget):
    """Province → city → county → township as a cascade of selects (省/市/县/乡 级联).

    The first select offers the user's scope roots; deeper levels are loaded from the
    region API by `region-picker.js`. The submitted value is the chosen region's code.
    Without JavaScript the first select still works (its own name is the field name).
    """

    template_name = "core/widgets/region_cascade.html"

    def __init__(self, roots=None, attrs=None, empty_label=None):
        super().__init__(attrs)
        self.roots = roots or []
        self.empty_label = empty_label or _("— choose —")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        roots = list(self.roots)
        levels = [{"options": roots, "selected": None}]
        current = Region.objects.filter(code=value).first() if value else None
        if current is not None:
            chain = [r for r in current.ancestors(include_self=True)]
            root_paths = [r.path for r in roots]
            chain = [r for r in chain if any(r.path.startswith(p) for p in root_paths)]
            for depth, region in enumerate(chain):
                levels[depth]["selected"] = region.code
                children = regiontree.children(region)
                if children:
                    levels.append({"options": children, "selected": None})
        elif len(roots) == 1:
            levels[0]["selected"] = roots[0].code
            children = regiontree.children(roots[0])
            if children:
                levels.append({"options": children, "selected": None})
            value = roots[0].code if self.is_required else value
        context["widget"].update(
            {"levels": levels, "value": value or "", "empty_label": self.empty_label}
        )
        return context

    def value_from_datadict(self, data, files, name):
        return data.get(name) or None
