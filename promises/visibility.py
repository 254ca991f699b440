"""Who sees what: the public sees published promises, the council (logged-in staff) everything."""

from promises.models import Promise


def is_council(user):
    """Logged-in staff are the council: they see drafts, clearly marked."""
    return user.is_authenticated and user.is_staff


def visible_promises(request):
    promises = Promise.objects.all()
    return promises if is_council(request.user) else promises.published()
