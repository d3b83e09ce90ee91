import datetime
import decimal

from django import template
from django.utils import dateformat, timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext

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


@register.filter
def hours(value):
    """Service hours as people read them, with the unit: 3.50 → "3.5 小时" ("3.5 h" in
    English), 12.00 → "12 小时", 1234.25 → "1,234.25 小时"; "" for None or a non-number."""
    if value is None or value == "":
        return ""
    try:
        number = decimal.Decimal(str(value).replace(",", ""))
    except decimal.InvalidOperation:
        return ""
    text = f"{number.quantize(decimal.Decimal('0.01')):,f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return gettext("%(hours)s h") % {"hours": text}


@register.filter
def month_short(value):
    """The month of a calendar's date box: "11月" in Chinese, "Nov" in English (Django's
    Chinese month names are "十一月", which a date box does not use)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    if (translation.get_language() or "").startswith("zh"):
        return f"{value.month}月"
    return dateformat.format(value, "M")


@register.simple_tag
def form_token():
    """`{% form_token %}` inside a <form>: a fresh double-submit token for that form
    (read by `submit_form` / `run_step`; see kepu.core.idempotency)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
