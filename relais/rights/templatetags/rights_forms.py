"""Template helpers of the rights pages."""

from django import template

register = template.Library()


@register.filter
def bound(form, name):
    """form|bound:"vous__age" -> the bound field (names built at run time, per person)."""
    return form[name]


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
