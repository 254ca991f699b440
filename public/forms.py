"""The browse page's filters."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from followup import report
from followup.status import Status
from promises.models import Area, Commitment, Party, Theme


class BrowseForm(forms.Form):
    """Filters of the browse page; the choices and the narrowing come from the database."""

    omrade = forms.ChoiceField(label=_("Område"), required=False)
    ar = forms.TypedChoiceField(label=_("År"), required=False, coerce=int, empty_value=None)
    tema = forms.ChoiceField(label=_("Fokusområde"), required=False)
    part = forms.ChoiceField(label=_("Part"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, data, promises):
        super().__init__(data)
        everything = [("", _("Alla"))]
        areas = Area.objects.filter(promises__in=promises).distinct().values_list("slug", "name")
        self.fields["omrade"].choices = everything + list(areas)
        self.fields["ar"].choices = everything + [(y, y) for y in covered_years(promises)]
        themes = Theme.objects.filter(commitments__promise__in=promises).distinct()
        self.fields["tema"].choices = everything + list(themes.values_list("slug", "name"))
        parties = Party.objects.filter(commitments__promise__in=promises).distinct()
        self.fields["part"].choices = everything + [(str(p.pk), p.name) for p in parties]
        self.fields["status"].choices = everything + list(Status.choices)

    def narrow(self, promises):
        """The promises that can match, found by the database; status is judged afterwards."""
        data = self.cleaned_data
        if data["omrade"]:
            promises = promises.filter(area__slug=data["omrade"])
        if data["ar"]:
            promises = promises.filter(start_year__lte=data["ar"], end_year__gte=data["ar"])
        if data["tema"]:
            promises = promises.filter(commitments__theme__slug=data["tema"])
        if data["part"]:
            promises = promises.filter(commitments__parties=data["part"])
        return promises.distinct()

    def rows(self, audience, promises):
        """The rows that can match, as (promise, commitment, year), in the order shown: the
        matching commitments of the matching promises, each in the years a report of it shows.
        Their status is judged afterwards (report.judge_rows)."""
        year = self.cleaned_data["ar"]
        commitments = self.narrow_commitments(Commitment.objects.all())
        return [
            (promise, commitment, shown_year)
            for promise in report.with_commitment_list(self.narrow(promises), commitments)
            for commitment in promise.commitment_list
            for shown_year in report.visible_years(promise, audience)
            if year is None or shown_year == year
        ]

    def narrow_commitments(self, commitments):
        """The commitments that can match, of the theme and party chosen; status is judged
        afterwards."""
        data = self.cleaned_data
        if data["tema"]:
            commitments = commitments.filter(theme__slug=data["tema"])
        if data["part"]:
            commitments = commitments.filter(parties=data["part"])
        return commitments


def covered_years(promises):
    """The years up to this one that some of the promises cover, newest first."""
    this_year = timezone.localdate().year
    spans = promises.values_list("start_year", "end_year").distinct()
    years = {y for start, end in spans for y in range(start, end + 1) if y <= this_year}
    return sorted(years, reverse=True)
