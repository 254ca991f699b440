"""Who reads a request, worked out once: the public sees published promises; council members
also see the drafts of the areas they work in (an administrator: of every area)."""

from dataclasses import dataclass

from django.db.models import Q

from promises.models import Promise, PublicationState
from promises.roles import areas_of


@dataclass(frozen=True)
class Audience:
    is_council: bool = False
    draft_area_ids: frozenset = frozenset()

    @classmethod
    def of(cls, user):
        """Logged-in staff are the council: they see their areas' drafts, clearly marked."""
        if not (user.is_authenticated and user.is_staff):
            return PUBLIC
        return cls(True, frozenset(areas_of(user).values_list("pk", flat=True)))

    def sees_drafts_of(self, promise):
        return promise.area_id in self.draft_area_ids

    def promises(self):
        """The promises this audience may read: published ones, and their areas' drafts."""
        promises = Promise.objects.all()
        if not self.draft_area_ids:
            return promises.published()
        return promises.filter(
            Q(state=PublicationState.PUBLISHED) | Q(area__in=self.draft_area_ids)
        )


PUBLIC = Audience()
