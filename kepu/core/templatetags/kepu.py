from django import template

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
