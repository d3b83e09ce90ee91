from django import template
from django.utils.html import format_html

from kepu.core.idempotency import FIELD, new_token

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ counts|get_item:key }}` — dictionary lookup by a variable key."""
    if mapping is None:
        return ""
    return mapping.get(key, 0)


@register.filter
def action_label(code):
    """The readable name of an audit action code ("" when it has none)."""
    from kepu.core.audit import action_label as label

    return label(code)


@register.simple_tag
def form_token():
    """`{% form_token %}` inside a <form>: a fresh double-submit token for that form
    (read by `submit_form` / `run_step`; see kepu.core.idempotency)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
