"""Money as Chinese documents write it: `125,000.00 元` (`yuan`) and, in statistics
tables headed 万元, `12.50` (`wan`)."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def yuan(value):
    if value is None or value == "":
        return "—"
    return _("%(amount)s yuan") % {"amount": f"{Decimal(value):,.2f}"}


@register.filter
def wan(value):
    """An amount in units of 10,000 yuan, two decimals (the column says 万元)."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value) / 10000:,.2f}"
