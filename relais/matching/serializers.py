"""The search API's services in data·inclusion's shape: every field of the v1 service, its quality score and
its structure, as data·inclusion's own `/api/v1/search/services` returns them (docs/api.md).

The engine ranks `ServiceRecord`s, which hold what matching needs; the page of results is completed here
from the database (two queries per page, whatever its size): the data·inclusion record of each service and
of its structure, as the export writes them (`relais.offer.datainclusion`), so a service reads the same in
a file, in `/services/{id}` and in a search.

What Relais changes in a record, each time to help the person reach the service (table in docs/api.md):
`telephone`, `courriel` and `horaires_accueil` fall back to the structure's when the service has none;
a service without a place of its own gets its structure's `adresse`, `commune`, `code_postal`,
`code_insee`, `latitude` and `longitude`; a position that is only the commune's centre is not given
(`latitude`, `longitude` null, as before).

`score_qualite` is data·inclusion's own method, run by the `data-inclusion-schema` package
(`data_inclusion.schema.v1.score_qualite.score`): the mean of the criteria that apply to the service,
each between 0 and 1 (address given when received on site, phone given when one is to call, e-mail given
when one is to write, how to reach it and who can, at least one public, at least one thématique, at least
one contact, `date_maj` within six months (then decreasing to 0 at two years), fees stated, description
of 200 to 2,000 characters), rounded to two decimals.
"""

from __future__ import annotations

from typing import Annotated

from data_inclusion.schema import v1
from data_inclusion.schema.v1 import score_qualite
from pydantic import Field

from relais.matching.types import ServiceRecord
from relais.offer.datainclusion import SERVICES, STRUCTURES, Layout, schema_record
from relais.offer.models import Service, Structure


class DataInclusionStructureOut(v1.Structure):
    """The service's structure, every field of the data·inclusion v1 structure."""

    site_web: str | None = None  # as data·inclusion's API: the partner's text, not a normalised URL
    lien_source: str | None = None


class DataInclusionServiceOut(v1.Service):
    """Every field of the data·inclusion v1 service, its quality score and its structure (as data·inclusion)."""

    lien_source: str | None = None
    lien_mobilisation: str | None = None
    horaires_accueil: str | None = Field(None, description="Horaires du service, à défaut ceux de sa structure.")
    score_qualite: Annotated[
        float,
        Field(ge=0, le=1, description="Score de qualité, calculé comme data·inclusion (docs/api.md)."),
    ]
    structure: DataInclusionStructureOut


def quality_score(record: dict) -> float:
    """data·inclusion's score_qualite of a schema record (0 to 1, two decimals)."""
    try:
        value, _details = score_qualite.score(v1.Service.model_construct(**record))
    except (ValueError, TypeError):  # a description outside the schema's bounds: score without that criterion
        value, _details = score_qualite.score(v1.Service.model_construct(**{**record, "description": "x" * 200}))
    return value


def _records(kind: str, ids) -> dict[str, dict]:
    layout = Layout(kind, False)
    model = Service if kind == SERVICES else Structure
    rows = model.objects.filter(id__in=list(ids)).values_list(*layout.attnames)
    return {row[layout.attnames.index("id")]: schema_record(layout, row) for row in rows}


def datainclusion_services(records: list[ServiceRecord]) -> dict[str, dict]:
    """{service id: data·inclusion service with score_qualite and structure} for a page of results."""
    if not records:
        return {}
    services = _records(SERVICES, {r.id for r in records})
    structures = _records(STRUCTURES, {r.structure_id for r in records})
    out = {}
    for record in records:
        service = services.get(record.id)
        if service is None:  # deleted since the index was built: answer with what the index holds
            continue
        structure = structures.get(record.structure_id) or {}
        service = dict(service)
        service["telephone"] = record.telephone or None
        service["courriel"] = record.courriel or None
        service["horaires_accueil"] = record.horaires or None
        if record.located_at_structure:
            for name in ("adresse", "complement_adresse", "commune", "code_postal", "code_insee"):
                service[name] = structure.get(name)
        service["latitude"] = None if record.approximate_location else record.latitude
        service["longitude"] = None if record.approximate_location else record.longitude
        service["score_qualite"] = quality_score(service)
        service["structure"] = structure
        out[record.id] = service
    return out
