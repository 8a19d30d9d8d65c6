"""`{% commune_datalist "id" %}`: the covered territory's communes as a <datalist>, filled by the server, so
a place field suggests communes without JavaScript (matching/static/matching/places.js adds the rest of
France while typing, when scripts run)."""

from django import template
from django.utils.html import format_html, format_html_join

from relais.territories.coverage import covered_communes

register = template.Library()


@register.simple_tag
def commune_datalist(list_id: str):
    options = format_html_join("", '<option value="{}">{}</option>', covered_communes())
    return format_html('<datalist id="{}">{}</datalist>', list_id, options)
