"""Forms of the base registry: registering a base (an officer) and editing its details
(an officer, or the unit's own staff: `Base.EDITABLE_FIELDS` only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.bases.models import Base
from kepu.core.forms import OrganizationRefField, StyledFormMixin
from kepu.core.scope import allowed_regions
from kepu.resources.choices import ResourceStatus, ResourceType
from kepu.resources.models import Resource

DETAIL_FIELDS = [
    "contact_name",
    "contact_phone",
    "open_days",
    "opening_hours",
    "area_m2",
    "staff",
    "docents",
    "description",
]


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        unit = obj.organization.name if obj.organization_id else ""
        return f"{obj.title} · {unit}" if unit else obj.title


def published_places():
    return Resource.objects.filter(
        resource_type=ResourceType.PLACE, status=ResourceStatus.PUBLISHED
    ).select_related("organization")


def _place_field(queryset):
    return PlaceChoiceField(
        queryset=queryset.order_by("title", "pk"),
        required=False,
        label=_("Catalog place"),
        help_text=_(
            "The unit's published place in the resource catalog: its address and map "
            "position are the base's (one record, not two)."
        ),
    )


class BaseRegisterForm(StyledFormMixin, forms.ModelForm):
    """An officer records a base recognized at a level (a unit of their scope)."""

    unit = OrganizationRefField(label=_("Unit"), required=True)

    class Meta:
        model = Base
        fields = [
            "name",
            "level",
            "category",
            "place",
            "batch",
            "number",
            "valid_from",
            "valid_to",
            *DETAIL_FIELDS,
        ]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user
        self.fields["unit"].help_text = _(
            "Its unified social credit code or its exact name (a unit of your regions)."
        )
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Leave empty to use the unit's name.")
        self.fields["valid_to"].required = False
        self.fields["valid_to"].help_text = _("Leave empty for a five-year cycle.")
        regions = allowed_regions(user, Base, "create")
        self.fields["place"] = _place_field(published_places().filter(region__in=regions))
        self.order_fields(["unit", "name", "level", "category", "place"])
        # StyledFormMixin ran before the place field was replaced.
        self.fields["place"].widget.attrs["class"] = "form-select"
        self.fields["place"].empty_label = _("— choose —")

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["organization"] = data.pop("unit")
        if not data.get("valid_to"):
            data.pop("valid_to", None)
        return data


class BaseEditForm(StyledFormMixin, forms.ModelForm):
    """A base's details; the place is one of its unit's published places."""

    class Meta:
        model = Base
        fields = list(Base.EDITABLE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        base = self.instance
        places = published_places().filter(organization_id=base.organization_id)
        self.fields["place"] = _place_field(places)
        self.fields["place"].widget.attrs["class"] = "form-select"
        self.fields["place"].empty_label = _("— choose —")

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in Base.EDITABLE_FIELDS}
