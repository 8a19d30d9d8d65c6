"""The demo offer: an invented, clearly labelled offer generated deterministically.

`generate(places, region, today)` is a pure function: from the communes of a métropole (plain
`Place` values) it draws, with `random.Random` seeded by the region and each commune's code,
structures, services, temporary closures and aids, as plain dicts. The same places, seed and
`today` always give the same offer; dates (verification, closures, "full until") are relative to
`today` so the demo always looks current.

`load(today)` writes the offer of the Métropole de Lyon (and of Metz Métropole when its communes
are loaded) and the demo accounts in one transaction, after deleting the previous demo rows only
(`is_demo=True`, demo accounts @demo.relais). Everything it creates is marked demo: `is_demo`,
source `relais-demo`, « (démo) » in every structure name, fictional phone numbers (01 99 00 xx xx,
reserved for fiction by ARCEP) and e-mail addresses @example.org.

- catalogue.py, services_work.py, services_life.py: the invented content (kinds of structures,
  service templates, names, streets, hours, aids);
- generate.py: the pure, seeded generation;
- load.py: writing it, with the demo accounts, in one transaction.
"""

from relais.accounts.demo_accounts import DEMO_EMAIL_DOMAIN
from relais.demo.generate import (
    DEMO_PASSWORD,
    DEMO_SUFFIX,
    DEMO_TERRITORY_SLUG,
    LYON,
    METZ,
    REGIONS,
    SEED,
    SOURCE,
    DemoOffer,
    Place,
    Region,
    generate,
)
from relais.demo.load import LoadReport, delete_demo_rows, load, places_of

__all__ = [
    "DEMO_EMAIL_DOMAIN",
    "DEMO_PASSWORD",
    "DEMO_SUFFIX",
    "DEMO_TERRITORY_SLUG",
    "LYON",
    "METZ",
    "REGIONS",
    "SEED",
    "SOURCE",
    "DemoOffer",
    "LoadReport",
    "Place",
    "Region",
    "delete_demo_rows",
    "generate",
    "load",
    "places_of",
]
