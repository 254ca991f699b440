from django import template
from django.utils.html import format_html

from followup.status import ICONS, Status, explain

register = template.Library()


@register.simple_tag
def status_badge(status):
    """A status as a badge: an icon (hidden from screen readers) and the status in words.

    Built here rather than in an included template: a promise page shows dozens of badges, and
    rendering a template for each was a tenth of the page's cost.
    """
    status = Status(status)
    return format_html(
        '<span class="badge badge-{}">'
        '<span class="badge-icon" aria-hidden="true">{}</span> {}</span>',
        status.value,
        ICONS[status],
        status.label,
    )


@register.simple_tag
def status_explanation(indicator, assessment):
    """How the status beside it was reached, as a line of plain text under the badge: read by
    screen readers with the status and printed with the page (not a tooltip)."""
    return format_html('<span class="explanation">{}</span>', explain(indicator, assessment))
