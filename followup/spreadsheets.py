"""The rows of the yearly report, shared by the Excel workbook, the outcome import and open data.

One row per indicator and year, with the year's figure as the pages show it: entered for the
whole year or made of its tertials or quarters (followup.parts), and which of them it is. The
first five columns are the row's stable key (area, period, year, commitment number, indicator
number): the import matches rows by them, never by ids.
"""

from django.utils.translation import gettext_lazy as _

from followup.status import Override

# (key, header). Headers are translated when the file is written; keys name open-data columns.
COLUMNS = [
    ("area", _("Område")),
    ("period", _("Period")),
    ("year", _("År")),
    ("commitment_number", _("Åtagande nr")),
    ("indicator_number", _("Indikator nr")),
    ("parties", _("Ansvariga parter")),
    ("commitment", _("Åtagande")),
    ("indicator", _("Indikator")),
    ("unit", _("Enhet")),
    ("rule", _("Målregel")),
    ("target", _("Mål")),
    ("baseline", _("Utgångsvärde")),
    ("baseline_year", _("Basår")),
    ("outcome", _("Utfall")),
    ("change", _("Förändring")),
    ("change_percent", _("Förändring i procent")),
    ("progress", _("Andel av målet")),
    ("status", _("Status")),
    ("comment", _("Kommentar")),
    ("override", _("Ändrad bedömning")),
    ("override_reason", _("Motivering")),
    # Added later: at the end, so that no column moves for those who read them by position.
    ("outcome_basis", _("Utfallet är")),
]


def headers():
    return [str(header) for _, header in COLUMNS]


def indicator_rows(promise_report, year):
    """The report's rows for one year, as dicts keyed by column key, with raw values."""
    promise = promise_report.promise
    for commitment_report in promise_report.commitments:
        commitment = commitment_report.commitment
        for item in commitment_report.indicators:
            indicator, row = item.indicator, item.for_year(year)
            if row is None:
                continue
            yield row_values(promise, commitment, indicator, row)


def row_values(promise, commitment, indicator, row):
    """One indicator in one year: names and labels for people, codes for machines."""
    assessment, outcome, figure = row.assessment, row.outcome, row.figure
    change = assessment.change
    override = outcome.status_override if outcome else ""
    return {
        "area": promise.area.name,
        "area_slug": promise.area.slug,
        "period": promise.period_label,
        "year": row.year,
        "commitment_number": commitment.order,
        "indicator_number": indicator.order,
        "parties": ", ".join(party.name for party in commitment.party_list),
        "commitment": commitment.title,
        "indicator": indicator.name,
        "unit": indicator.unit,
        "rule": indicator.target_label,
        "rule_code": indicator.rule,
        "kind": indicator.kind,
        "target_in_percent": indicator.target_in_percent,
        "target": indicator.target_value,
        # The figure to reach or stay under; none for a change rule with no stated amount,
        # where any change the right way counts (the workbook's chart shows the baseline).
        "target_level": indicator.threshold if indicator.target_value is not None else None,
        "baseline": indicator.baseline_value,
        "baseline_year": indicator.baseline_year,
        "outcome": figure.value,  # entered for the whole year, or made of its parts
        "outcome_basis": figure.basis_label,
        "outcome_basis_code": figure.basis,
        "change": change.absolute if change else None,
        "change_percent": change.percent if change else None,
        "change_in_points": bool(change and change.in_points),
        "progress": assessment.progress,
        "status": assessment.status,
        "comment": outcome.comment if outcome else "",
        "override": str(Override(override).label) if override else "",
        "override_code": override,
        "override_reason": outcome.override_reason if outcome else "",
    }
