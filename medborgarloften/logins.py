"""Login limits: django-axes' database handler with a limit of its own for each kind of count.

Axes counts recent failures for each entry of AXES_LOCKOUT_PARAMETERS and compares the largest
with one limit. Here a user name tried from one address locks after AXES_FAILURE_LIMIT failures
(a colleague's typos, or someone guessing their password), while an address trying many user
names locks after the larger LOGIN_FAILURE_LIMIT_PER_ADDRESS: a town hall behind one address
should not be locked out by five colleagues' typos, yet one password tried against every user
name should not go on for ever.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def limit_for(parameter):
    """The failures that lock, for one entry of AXES_LOCKOUT_PARAMETERS."""
    if parameter in ("ip_address", ["ip_address"]):
        return settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    return settings.AXES_FAILURE_LIMIT


class LoginLimits(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        """The failures on axes' scale: they reach AXES_FAILURE_LIMIT exactly when one of the
        counts reaches its own limit (axes compares this one number with that one limit)."""
        counts = [
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        limits = [limit_for(parameter) for parameter in settings.AXES_LOCKOUT_PARAMETERS]
        short_of_lock = min(limit - count for count, limit in zip(counts, limits, strict=True))
        return settings.AXES_FAILURE_LIMIT - short_of_lock

    def reset_user_attempts(self, request, credentials=None):
        """A successful login clears that user name's failures from that address only.

        Axes would clear every entry the request matches, the address's count included: a
        colleague's login would wipe the failures of others behind the same address, and
        anyone with an account of their own could wipe their guesses at other names.
        """
        username = get_client_username(request, credentials)
        attempts = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        )
        count, _ = attempts.delete()
        return count
