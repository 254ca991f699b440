from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# What each role may do with this app's models (promises/roles.py has the roles). A council
# member may withdraw a figure entered by mistake (the entry page; once published only as a
# correction with a reason, followup/entry.py).
COUNCIL_MEMBER_PERMISSIONS = [
    "followup.view_outcome", "followup.view_yearlyfollowup",
    "followup.view_publicationevent", "followup.view_correction",
    "followup.add_outcome", "followup.change_outcome", "followup.delete_outcome",
    "followup.add_yearlyfollowup", "followup.change_yearlyfollowup",
]  # fmt: skip
COORDINATOR_PERMISSIONS = ["followup.publish_yearlyfollowup"]


def create_role_groups(**kwargs):
    from promises.roles import ensure_groups

    ensure_groups()


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Uppföljning")

    def ready(self):
        # After this app's migrations every permission the role groups name exists.
        post_migrate.connect(create_role_groups, sender=self)
        from promises import roles
        from promises.revision import watch

        roles.add_permissions(roles.COUNCIL_MEMBER_GROUP, COUNCIL_MEMBER_PERMISSIONS)
        roles.add_permissions(roles.COORDINATOR_GROUP, COORDINATOR_PERMISSIONS)
        watch(self)
