"""Open data: every published indicator and year as CSV and JSON, with stable column names.

Only published promises and published follow-up years, whoever asks: open data is a
publication, not a council view. The column names are a promise to re-users; README lists them.
"""

import csv
import io
import json
from decimal import Decimal

from followup import report
from followup.spreadsheets import indicator_rows
from promises.audience import PUBLIC
from promises.models import Promise
from promises.resources import neutralise

# Open-data column → key of `spreadsheets.row_values` (or of `area_values`).
COLUMNS = {
    "area": "area",
    "area_slug": "area_slug",
    "municipality_codes": "municipality_codes",
    "period": "period",
    "year": "year",
    "commitment_number": "commitment_number",
    "indicator_number": "indicator_number",
    "parties": "parties",
    "commitment": "commitment",
    "indicator": "indicator",
    "unit": "unit",
    "rule": "rule_code",
    "target": "target",
    "baseline": "baseline",
    "baseline_year": "baseline_year",
    "outcome": "outcome",
    "change": "change",
    "change_percent": "change_percent",
    "progress_percent": "progress",
    "status": "status",
    "override": "override_code",
    "override_reason": "override_reason",
    "comment": "comment",
    "outcome_basis": "outcome_basis_code",  # added later: at the end, so no column moves
}


def rows():
    promises = report.with_municipalities(
        report.with_followup_data(Promise.objects.published().order_by("area__name", "start_year"))
    )
    for promise in promises:
        promise_report = report.promise_report(promise, PUBLIC)
        area = area_values(promise.area)
        for summary in promise_report.years:
            for values in indicator_rows(promise_report, summary.year):
                values.update(area)
                yield {column: plain(values[key]) for column, key in COLUMNS.items()}


def area_values(area):
    """The kommunkoder of the municipalities the area covers, space-separated in code order
    ("1904 1962 1982"), from an area loaded through `report.with_municipalities`."""
    return {"municipality_codes": " ".join(sorted(m.code for m in area.municipality_list))}


def plain(value):
    """Decimals as JSON numbers (2483, 61.5); status codes as plain strings."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    if isinstance(value, str):
        return str(value)
    return value


def as_csv():
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows():
        writer.writerow({column: neutralise(value) for column, value in row.items()})
    return output.getvalue()


def as_json():
    return json.dumps(
        {"columns": list(COLUMNS), "rows": list(rows())}, ensure_ascii=False, indent=1
    )
