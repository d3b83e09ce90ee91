from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ counts|get_item:key }}` — dictionary lookup by a variable key."""
    if mapping is None:
        return ""
    return mapping.get(key, 0)
