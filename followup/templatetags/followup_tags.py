from django import template

from followup.status import ICONS, Status

register = template.Library()


@register.inclusion_tag("includes/status_badge.html")
def status_badge(status):
    status = Status(status)
    return {"status": status, "icon": ICONS[status]}
