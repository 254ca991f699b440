from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "promises"
    verbose_name = _("Medborgarlöften")

    def ready(self):
        from promises.revision import watch

        watch(
            self,
            except_models=[self.get_model(m) for m in ("Membership", "PublicRevision")],
        )
