"""{% share_block "recherche" %}: the « Partager » block of a page (relais/sharing/templates/sharing/partials/block.html).

{% load sharing %}
{% share_block "recherche" %}                      the professional search (its query string)
{% share_block "trouver" %}                        the residents' search
{% share_block "fiche" print=False %}              the fiche de services (it has its own print button)
{% share_block "service" service_id=service.pk %}  one service's fiche
"""

from django import template

from relais import sms
from relais.sharing.subjects import SUBJECTS, share_path

register = template.Library()


@register.inclusion_tag("sharing/partials/block.html", takes_context=True)
def share_block(context, kind: str, service_id: str = "", print: bool = True):  # noqa: A002 (the template's word)
    request = context["request"]
    subject = SUBJECTS[kind]
    page = share_path(subject, request.GET, str(service_id))
    return {
        "subject": subject,
        "link": request.build_absolute_uri(subject.link_path(request.GET, str(service_id))),
        "email_url": page + "#par-courriel",
        "sms_url": page + "#par-sms" if sms.enabled() else "",
        "print": print,
    }
