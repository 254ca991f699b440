"""The address of the page being shown, as a kept page may show it to every visitor."""

from django import template

from public.page_cache import kept_address, kept_query

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context):
    """The query parameters the pages read, and no others: a kept page is shared by every
    address that differs only in the others, so it must not show them (public/page_cache.py).
    Use with Django's tag: `{% page_query as query %}{% querystring query sida=2 %}`."""
    return kept_query(context["request"])


@register.simple_tag(takes_context=True)
def page_address(context):
    request = context.get("request")
    if request is None:  # a page rendered without a request: the error pages
        return "/"
    return kept_address(request)
