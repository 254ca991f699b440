"""A second demo promise, of another shape than Eskilstuna 2021: constructed example data.

A local police area over three municipalities, a two-year promise (2025–2026) with a safety
survey percentage, a count reported per tertial, a one-off action plan and a context figure.
2025's follow-up is approved and published; 2026 is under way, with T1 and T2 entered and its
follow-up not published: interim figures are never published on their own
(`publishing.PublishedFigures`), and the public sees a year only once its follow-up is approved
by the council and published, which the council does after the year has ended.

No figure, person or decision in it is real: the title, the area's name and the background say
so, and the public pages show it. Built in Python rather than a fixture so that it takes no fixed
primary keys beside Eskilstuna's and can be run again: `load()` finds its rows by their natural
keys and writes only what differs from the demo (the demo's own rows are reset to it; nothing
else is touched).
"""

import datetime
from decimal import Decimal

from django.db import models, transaction

from followup.models import FollowUpState, Outcome, YearlyFollowUp
from promises.models import (
    Area,
    Commitment,
    Indicator,
    Municipality,
    Party,
    Promise,
    PublicationState,
    Signatory,
    Theme,
)

CONSTRUCTED = "Konstruerat exempel – inte ett verkligt medborgarlöfte"
AREA_SLUG = "lokalpolisomrade-fagersta"
AREA_NAME = "Lokalpolisområde Fagersta (exempel)"
POLICE = "Polismyndigheten"  # the same party as in Eskilstuna's fixture

# The covered municipalities: SCB kommunkod, name, and the municipality as a party.
MUNICIPALITIES = [
    ("1982", "Fagersta", "Fagersta kommun"),
    ("1962", "Norberg", "Norbergs kommun"),
    ("1904", "Skinnskatteberg", "Skinnskattebergs kommun"),
]

BACKGROUND = (
    f"{CONSTRUCTED}. Löftet är påhittat för att visa hur ett tvåårigt löfte för ett "
    "lokalpolisområde över flera kommuner följs upp; personer, siffror och beslut är inte "
    "verkliga.\n\n"
    "Lokalpolisområdet omfattar Fagersta (kommunkod 1982), Norberg (1962) och Skinnskatteberg "
    "(1904). Trygghetsmätningen 2024 visade att 28,2 % av invånarna känner sig otrygga ute sent "
    "en kväll i sin kommuns centrum, och i medborgardialogerna efterfrågades fler poliser till "
    "fots och en plan mot narkotikaförsäljningen vid Fagersta resecentrum."
)


def municipality_parties(area):
    """The municipalities `area` covers (found by SCB kommunkod), each also the party that signs
    with the police: a municipality party is its municipality."""
    covered = [Municipality.objects.get(code=code) for code, _name, _party in MUNICIPALITIES]
    if {m.pk for m in area.municipalities.all()} != {m.pk for m in covered}:
        area.municipalities.set(covered)
    return [
        upsert(Party, {"name": party}, kind=Party.Kind.MUNICIPALITY, municipality=municipality)
        for municipality, (_code, _name, party) in zip(covered, MUNICIPALITIES, strict=True)
    ]


@transaction.atomic
def load():
    """Creates the demo promise, or resets its rows to the demo; returns the promise."""
    area = upsert(Area, {"slug": AREA_SLUG}, name=AREA_NAME, kind=Area.Kind.POLICE_AREA)
    police = upsert(Party, {"name": POLICE}, kind=Party.Kind.POLICE)
    fagersta, norberg, skinnskatteberg = municipalities = municipality_parties(area)
    promise = upsert(
        Promise,
        {"area": area, "start_year": 2025},
        end_year=2026,
        title=f"Medborgarlöfte Fagersta, Norberg och Skinnskatteberg 2025–2026 ({CONSTRUCTED})",
        signed_on=datetime.date(2025, 3, 18),
        background=BACKGROUND,
        state=PublicationState.PUBLISHED,
    )
    signatories = [
        ("Exempelperson A", "kommunstyrelsens ordförande i Fagersta kommun", fagersta),
        ("Exempelperson B", "kommunstyrelsens ordförande i Norbergs kommun", norberg),
        (
            "Exempelperson C",
            "kommunstyrelsens ordförande i Skinnskattebergs kommun",
            skinnskatteberg,
        ),
        ("Exempelperson D", "lokalpolisområdeschef", police),
    ]
    for order, (name, role, party) in enumerate(signatories, start=1):
        upsert(Signatory, {"promise": promise, "order": order}, name=name, role=role, party=party)

    safety = upsert(Theme, {"slug": "trygghet-i-centrum"}, name="Trygghet i centrum")
    presence = upsert(Theme, {"slug": "polisiar-narvaro"}, name="Polisiär närvaro")
    drugs = upsert(Theme, {"slug": "narkotika"}, name="Narkotika")

    unsafe = commitment(
        promise,
        1,
        [police, *municipalities],
        theme=safety,
        title="Minskad otrygghet i centrum",
        text="Andelen invånare som känner sig otrygga ute sent en kväll i sin kommuns centrum "
        "ska minska jämfört med trygghetsmätningen 2024.",
        purpose="Resultatuppföljning: märker invånarna någon skillnad?",
    )
    share = indicator(
        unsafe,
        1,
        name="Andel som känner sig otrygga ute sent en kväll",
        unit="%",
        kind=Indicator.Kind.PERCENT,
        rule=Indicator.Rule.DECREASE,
        baseline_value=Decimal("28.2"),
        baseline_year=2024,
        scope="trygghetsmätningen i de tre kommunerna",
    )
    crimes = indicator(
        unsafe,
        2,
        name="Anmälda brott i lokalpolisområdet",
        unit="st",
        kind=Indicator.Kind.COUNT,
        rule=Indicator.Rule.NONE,
        scope="Fagersta, Norberg och Skinnskatteberg",
    )
    patrols = commitment(
        promise,
        2,
        [police],
        theme=presence,
        title="Fotpatruller i centrum",
        text="Polisen genomför minst 120 fotpatruller per år i centrum av Fagersta, Norberg och "
        "Skinnskatteberg och redovisar dem per tertial.",
    )
    foot_patrols = indicator(
        patrols,
        1,
        name="Fotpatruller i kommunernas centrum",
        unit="st",
        kind=Indicator.Kind.COUNT,
        rule=Indicator.Rule.AT_LEAST,
        target_value=Decimal(120),
    )
    plan = commitment(
        promise,
        3,
        [police, fagersta],
        theme=drugs,
        title="Handlingsplan för Fagersta resecentrum",
        text="Polisen och Fagersta kommun tar fram en gemensam handlingsplan mot "
        "narkotikaförsäljningen vid Fagersta resecentrum.",
    )
    plan_done = indicator(
        plan,
        1,
        name="Handlingsplanen är framtagen",
        kind=Indicator.Kind.YES_NO,
        rule=Indicator.Rule.DONE,
    )

    outcomes = [
        (share, 2025, "year", "26.8", "Trygghetsmätningen hösten 2025 (exempelsiffra)."),
        (crimes, 2025, "year", "2318", ""),
        (foot_patrols, 2025, "t1", "38", ""),
        (foot_patrols, 2025, "t2", "45", "Färre patruller under semesterperioden."),
        (foot_patrols, 2025, "t3", "41", ""),
        (plan_done, 2025, "year", "1", "Handlingsplanen antogs av båda parter i oktober 2025."),
        (foot_patrols, 2026, "t1", "35", ""),
        (foot_patrols, 2026, "t2", "42", ""),
    ]
    for item, year, part, value, comment in outcomes:
        upsert(
            Outcome,
            {"indicator": item, "year": year, "part_of_year": part},
            value=Decimal(value),
            comment=comment,
            status_override="",
            override_reason="",
        )
    upsert(
        YearlyFollowUp,
        {"promise": promise, "year": 2025},
        summary=f"{CONSTRUCTED}. Otryggheten minskade och handlingsplanen för resecentrum togs "
        "fram; fotpatrullerna redovisades per tertial.",
        approved_on=datetime.date(2026, 2, 10),
        state=FollowUpState.PUBLISHED,
    )
    return promise


def commitment(promise, order, parties, **fields):
    row = upsert(Commitment, {"promise": promise, "order": order}, **fields)
    if set(row.parties.all()) != set(parties):
        row.parties.set(parties)
    return row


def indicator(commitment, order, **fields):
    defaults = {
        "unit": "",
        "target_value": None,
        "target_in_percent": False,
        "baseline_value": None,
        "baseline_year": None,
        "scope": "",
    }
    return upsert(Indicator, {"commitment": commitment, "order": order}, **{**defaults, **fields})


def upsert(model, lookup, **values):
    """The row found by `lookup` with `values`, created or changed only where it differs, so
    that loading the demo again writes nothing (and adds no history). Checked as a form would."""
    row = model.objects.filter(**lookup).first() or model(**lookup)
    changed = row.pk is None
    for name, value in values.items():
        now = model._meta.get_field(name).value_from_object(row)  # a foreign key: its id
        if now != (value.pk if isinstance(value, models.Model) else value):
            setattr(row, name, value)
            changed = True
    if changed:
        row.full_clean()
        row.save()
    return row
