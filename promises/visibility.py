"""Who sees what: the public sees published promises; council members also see the drafts of
the areas they work in (an administrator: of every area)."""

from django.db.models import Q

from promises.models import Promise
from promises.roles import areas_of


def is_council(user):
    """Logged-in staff are the council: they see their areas' drafts, clearly marked."""
    return user.is_authenticated and user.is_staff


def visible_promises(request):
    promises = Promise.objects.all()
    if not is_council(request.user):
        return promises.published()
    return promises.filter(Q(state="published") | Q(area__in=areas_of(request.user)))


def draft_area_ids(user):
    """The areas whose drafts this user sees: none for the public."""
    if not is_council(user):
        return set()
    return set(areas_of(user).values_list("pk", flat=True))
