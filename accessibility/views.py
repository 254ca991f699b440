from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accessibility.limits import may_report
from accessibility.models import ProblemReport


class ProblemReportForm(forms.ModelForm):
    class Meta:
        model = ProblemReport
        fields = ["page", "description", "email"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


def statement(request):
    """The accessibility statement (tillgänglighetsredogörelse) with its report form."""
    form = ProblemReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not may_report(request):
            # The form keeps what was typed, so that it can be sent later.
            message = _(
                "Du har skickat för många rapporter på kort tid. Vänta en timme och försök igen."
            )
            form.add_error(None, message)
            return render(request, "accessibility/statement.html", {"form": form}, status=429)
        form.save()
        messages.success(request, _("Tack! Vi har tagit emot din rapport."))
        return redirect(reverse("accessibility") + "#rapportera")
    return render(request, "accessibility/statement.html", {"form": form})
