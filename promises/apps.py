from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "promises"
    verbose_name = _("Medborgarlöften")

    def ready(self):
        from promises.municipalities import fill_after_migrate
        from promises.revision import watch

        watch(
            self,
            except_models=[self.get_model(m) for m in ("Membership", "PublicRevision")],
        )
        post_migrate.connect(fill_after_migrate, sender=self)
