"""Confirmation pages for publishing, approving and unpublishing, in the promise's admin."""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from followup import publishing
from promises.models import Promise
from promises.roles import areas_of


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Sparas och visas i löftets publiceringshistorik."),
    )


class MeetingForm(forms.Form):
    meeting_date = forms.DateField(
        label=_("Rådets mötesdatum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


@dataclass(frozen=True)
class PublicationAction:
    title: str
    question: str
    run: object
    form: type | None = None
    per_year: bool = False


ACTIONS = {
    "publicera": PublicationAction(
        _("Publicera medborgarlöftet"),
        _("Löftet blir synligt för alla på webbplatsen, i listor och i öppna data."),
        lambda promise, year, user, data: publishing.publish_promise(promise, user),
    ),
    "avpublicera": PublicationAction(
        _("Avpublicera medborgarlöftet"),
        _("Löftet försvinner från de publika sidorna. Motiveringen sparas."),
        lambda promise, year, user, data: publishing.unpublish_promise(
            promise, user, data["reason"]
        ),
        ReasonForm,
    ),
    "godkann": PublicationAction(
        _("Rådet har godkänt uppföljningen"),
        _("Ange datum för mötet där det lokala brottsförebyggande rådet godkände uppföljningen."),
        lambda promise, year, user, data: publishing.approve_followup(
            promise, year, user, data["meeting_date"]
        ),
        MeetingForm,
        per_year=True,
    ),
    "publicera-uppfoljning": PublicationAction(
        _("Publicera uppföljningen"),
        _("Årets utfall, kommentarer och sammanfattning blir synliga för alla."),
        lambda promise, year, user, data: publishing.publish_followup(promise, year, user),
        per_year=True,
    ),
    "avpublicera-uppfoljning": PublicationAction(
        _("Avpublicera uppföljningen"),
        _("Årets utfall försvinner från de publika sidorna. Motiveringen sparas."),
        lambda promise, year, user, data: publishing.unpublish_followup(
            promise, year, user, data["reason"]
        ),
        ReasonForm,
        per_year=True,
    ),
}


def publication_view(request, promise_id, action, year=None):
    spec = ACTIONS.get(action)
    if spec is None or spec.per_year != (year is not None):
        raise Http404
    promises = Promise.objects.select_related("area").filter(area__in=areas_of(request.user))
    promise = get_object_or_404(promises, pk=promise_id)
    if year is not None and not promise.covers_year(year):
        raise Http404
    publishing.check_may_publish(request.user, promise)
    form = spec.form(request.POST or None) if spec.form else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            spec.run(promise, year, request.user, form.cleaned_data if form else {})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Klart: %(title)s.") % {"title": spec.title.lower()})
            return redirect("admin:promises_promise_change", promise.pk)
    context = {
        **admin.site.each_context(request),
        "title": spec.title,
        "question": spec.question,
        "promise": promise,
        "year": year,
        "form": form,
        "opts": Promise._meta,
        "change_url": reverse("admin:promises_promise_change", args=[promise.pk]),
    }
    return TemplateResponse(request, "admin/followup/publication_confirm.html", context)
