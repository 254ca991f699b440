from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_role_groups(**kwargs):
    from promises.roles import ensure_groups

    ensure_groups()


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Uppföljning")

    def ready(self):
        # After this app's migrations every permission the role groups name exists.
        post_migrate.connect(create_role_groups, sender=self)
        from promises.revision import watch

        watch(self)
