"""Page forms of notices, their region narrowed to the user's scope."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.core.forms import StyledFormMixin, region_field
from kepu.portal.models import Notice


class NoticeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Notice
        fields = ["title", "category", "region", "issuer", "body", "pinned"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}
        help_texts = {
            "body": _("Plain text. Leave an empty line between paragraphs."),
            "issuer": _("The unit named under the notice, e.g. 四川省科学技术协会."),
            "pinned": _("Pinned notices stay at the top of the list."),
        }

    def __init__(self, *args, user, action="create", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = region_field(user, Notice, action, label=_("Issued for"))
        if self.instance.pk:
            self.initial["region"] = self.instance.region.code

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
