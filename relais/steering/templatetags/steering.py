"""{% progress value label %}: a progress bar (native <progress>, no inline style) with its percentage."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def progress(value, label=""):
    if value is None:
        return format_html('<span class="help">{}</span>', _("avancement inconnu"))
    name = _("Avancement") + (f" : {label}" if label else "")
    return format_html(
        '<span class="steering-progress"><progress max="100" value="{}" aria-label="{}">{} %</progress> {} %</span>',
        value,
        name,
        value,
        value,
    )
