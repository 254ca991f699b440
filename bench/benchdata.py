"""Small data for the HTTP benchmarks, built with the project's factories (promises/factories.py,
followup/factories.py) into the database DATABASE_URL names (a scratch database: run by
harness.prepare_database after migrate).

Per area: one published promise of 2023–2025 with COMMITMENTS × INDICATORS count indicators
("minst 200 st"), outcomes for 2023 (published follow-up) and 2024 (a draft follow-up), the
council members and a coordinator, all with the password harness.PASSWORD. Prints one line
"BENCHDATA {json}" describing what it built.

    DATABASE_URL=postgres://… .venv/bin/python bench/benchdata.py --areas=16 --prefix=last
"""

import argparse
import datetime
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarloften.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from harness import PASSWORD  # noqa: E402

from followup.factories import OutcomeFactory, YearlyFollowUpFactory  # noqa: E402
from promises.factories import (  # noqa: E402
    AreaFactory,
    CommitmentFactory,
    IndicatorFactory,
    MunicipalityPartyFactory,
    PoliceFactory,
    PromiseFactory,
    SignatoryFactory,
    ThemeFactory,
    UserFactory,
)
from promises.models import Membership, Party  # noqa: E402
from promises.roles import grant  # noqa: E402

START_YEAR, END_YEAR = 2023, 2025


def value_2023(area, commitment, indicator):
    return 100 + 10 * area + 3 * commitment + indicator


def value_2024(area, commitment, indicator):
    return 300 + 10 * area + 3 * commitment + indicator


@transaction.atomic
def create_data(prefix, areas, commitments, indicators, council):
    police = PoliceFactory()
    theme = ThemeFactory(name="Trygghet", slug="trygghet")
    hashed = make_password(PASSWORD)  # hashed once: the same password for every test user
    described = []
    for n in range(areas):
        name = f"{prefix.capitalize()}kommun {n:02}"
        area = AreaFactory(name=name, slug=f"{prefix}-{n:02}")
        municipality = Party.objects.filter(name=name).first() or MunicipalityPartyFactory(
            name=name
        )
        promise = PromiseFactory(
            area=area,
            start_year=START_YEAR,
            end_year=END_YEAR,
            published=True,
            signed_on=datetime.date(START_YEAR, 3, 1),
            background=f"Lägesbild för {name}: trygghet i centrum och i bostadsområdena.",
        )
        SignatoryFactory(promise=promise, name="Kim Polis", party=police)
        SignatoryFactory(
            promise=promise, name="Alex Kommun", role="kommunstyrelsens ordförande",
            party=municipality,
        )  # fmt: skip
        indicator_rows = []
        for c in range(1, commitments + 1):
            commitment = CommitmentFactory(
                promise=promise,
                order=c,
                text=f"Polisen och kommunen genomför insats {c} i de prioriterade områdena.",
                theme=theme,
                parties=[police, municipality],
            )
            for i in range(1, indicators + 1):
                indicator = IndicatorFactory(
                    commitment=commitment,
                    order=i,
                    name=f"Kontroller {prefix} {n:02}-{c}-{i}",
                    target_value=200,
                    baseline_value=150,
                    baseline_year=START_YEAR - 1,
                )
                OutcomeFactory(indicator=indicator, year=2023, value=value_2023(n, c, i))
                OutcomeFactory(indicator=indicator, year=2024, value=value_2024(n, c, i))
                indicator_rows.append(
                    {
                        "id": indicator.pk,
                        "name": indicator.name,
                        "values": {"2023": value_2023(n, c, i), "2024": value_2024(n, c, i)},
                    }
                )
        YearlyFollowUpFactory(  # approved on 15 February 2024, then published
            promise=promise,
            year=2023,
            published=True,
            summary=f"Året 2023 i {name}: de flesta kontroller genomfördes.",
        )
        YearlyFollowUpFactory(promise=promise, year=2024)  # a draft
        council_names = []
        for k in range(council):
            user = UserFactory(username=f"{prefix}-rad-{n:02}-{k}", password=hashed)
            grant(user, area, Membership.Role.COUNCIL_MEMBER)
            council_names.append(user.username)
        coordinator = UserFactory(username=f"{prefix}-samordnare-{n:02}", password=hashed)
        grant(coordinator, area, Membership.Role.COORDINATOR)
        described.append(
            {
                "slug": area.slug,
                "name": name,
                "promise_id": promise.pk,
                "period": f"{START_YEAR}-{END_YEAR}",
                "indicators": indicator_rows,
                "council": council_names,
                "coordinator": coordinator.username,
            }
        )
    return {"areas": described, "password": PASSWORD}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", default="last", help="slug prefix of the areas")
    parser.add_argument("--areas", type=int, default=16)
    parser.add_argument("--commitments", type=int, default=4)
    parser.add_argument("--indicators", type=int, default=2, help="per commitment")
    parser.add_argument("--council", type=int, default=1, help="council members per area")
    options = parser.parse_args()
    data = create_data(
        options.prefix, options.areas, options.commitments, options.indicators, options.council
    )
    print("BENCHDATA " + json.dumps(data))


if __name__ == "__main__":
    main()
