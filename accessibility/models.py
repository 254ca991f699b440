"""Problems that visitors report through the accessibility statement, as the DOS law requires."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProblemReport(models.Model):
    page = models.CharField(
        _("sida"), max_length=500, blank=True, help_text=_("Adressen eller namnet på sidan.")
    )
    description = models.TextField(_("beskrivning av problemet"), max_length=5000)
    email = models.EmailField(_("e-post för svar"), blank=True)
    received_at = models.DateTimeField(_("mottaget"), auto_now_add=True)
    handled = models.BooleanField(_("hanterat"), default=False)

    class Meta:
        verbose_name = _("rapporterat tillgänglighetsproblem")
        verbose_name_plural = _("rapporterade tillgänglighetsproblem")
        ordering = ["-received_at"]

    def __str__(self):
        return self.description[:80]
