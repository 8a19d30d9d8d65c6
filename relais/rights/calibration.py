"""Net to gross and taxable incomes, computed by OpenFisca itself and inverted.

People know their net pay; benefits look at net (RSA, prime d'activité), taxable (housing aids,
AAH, family benefits) or gross amounts. Rather than re-implementing contributions, we let
OpenFisca compute net and taxable amounts for a grid of gross amounts (one vectorised simulation
per year and kind of income, cached per process), and invert the monotonic net(gross) curve by
interpolation. Replacement incomes (unemployment, pensions) depend on the CSG band of the tax
household (exempt, reduced, median, full rate), chosen from the revenu fiscal de référence.
"""

import threading
from dataclasses import dataclass
from functools import cache

import numpy as np

from relais.rights.system import tax_benefit_system

# Gross monthly amounts: fine steps where people are, coarser above.
GRID = np.unique(np.concatenate([np.arange(0, 6000, 10.0), np.arange(6000, 30000, 100.0), [50000.0, 200000.0]]))
BANDS = ("exonere", "taux_reduit", "taux_median", "taux_plein")
_lock = threading.Lock()


@dataclass(frozen=True)
class Table:
    gross: np.ndarray
    net: np.ndarray  # one row per CSG band for replacement incomes, one row for salaries
    taxable: np.ndarray

    def from_net(self, net: np.ndarray, band: np.ndarray | int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Gross and taxable amounts for net amounts (vectorised; `band` indexes rows)."""
        net = np.asarray(net, dtype=float)
        band = np.broadcast_to(np.asarray(band), net.shape)
        gross = np.empty_like(net)
        taxable = np.empty_like(net)
        for row in np.unique(band):
            mask = band == row
            gross[mask] = np.interp(net[mask], self.net[row], self.gross)
            taxable[mask] = np.interp(gross[mask], self.gross, self.taxable[row])
        return gross, taxable

    def from_gross(self, gross: np.ndarray, band: int = 0) -> tuple[np.ndarray, np.ndarray]:
        gross = np.asarray(gross, dtype=float)
        return np.interp(gross, self.gross, self.net[band]), np.interp(gross, self.gross, self.taxable[band])


def _band_rfr(year: int, n_parts: float = 1.0) -> list[float]:
    """A revenu fiscal de référence (year N-2) inside each CSG band, for a tax household of 1 part."""
    csg = (
        tax_benefit_system().get_parameters_at_instant(f"{year}-01-01").prelevements_sociaux.contributions_sociales.csg
    )
    seuils = csg.remplacement.seuils
    s1, s2, s3 = seuils.seuil_rfr1.seuil_rfr1, seuils.seuil_rfr2.seuil_rfr2, seuils.seuil_rfr3.seuil_rfr3
    return [0.0, (s1 + s2) / 2, (s2 + s3) / 2, s3 * 2]


def _simulate(month: str, variables: dict[str, np.ndarray], rfr: np.ndarray | None, outputs: list[str]):
    from openfisca_core.simulation_builder import SimulationBuilder

    system = tax_benefit_system()
    n = len(next(iter(variables.values())))
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("individu", np.arange(n))
    roles = {"famille": "demandeur", "foyer_fiscal": "declarant_principal", "menage": "personne_de_reference"}
    for entity, role in roles.items():
        population = builder.declare_entity(entity, np.arange(n))
        builder.join_with_persons(population, np.arange(n), [role] * n)
    simulation = builder.build(system)
    simulation.set_input("date_naissance", "ETERNITY", np.full(n, np.datetime64("1970-01-01")))
    for name, values in variables.items():
        simulation.set_input(name, month, values)
    if rfr is not None:
        year_n2 = str(int(month[:4]) - 2)
        simulation.set_input("rfr", year_n2, rfr)
        simulation.set_input("nbptr", year_n2, np.ones(n))
    return [np.asarray(simulation.calculate(name, month), dtype=float) for name in outputs]


@cache
def _salary(year: int, month: str) -> Table:
    (net, taxable) = _simulate(
        month,
        {"salaire_de_base": GRID, "categorie_salarie": np.array(["prive_non_cadre"] * len(GRID))},
        None,
        ["salaire_net", "salaire_imposable"],
    )
    return Table(GRID, np.maximum.accumulate(net)[None, :], taxable[None, :])


@cache
def _replacement(kind: str, year: int, month: str) -> Table:
    gross_var, net_var, taxable_var = {
        "chomage": ("chomage_brut", "chomage_net", "chomage_imposable"),
        "retraite": ("retraite_brute", "retraite_nette", "retraite_imposable"),
    }[kind]
    rfr = _band_rfr(year)
    g = len(GRID)
    gross = np.tile(GRID, len(BANDS))
    rfr_column = np.repeat(np.array(rfr), g)
    net, taxable = _simulate(month, {gross_var: gross}, rfr_column, [net_var, taxable_var])
    net = net.reshape(len(BANDS), g)
    return Table(GRID, np.maximum.accumulate(net, axis=1), taxable.reshape(len(BANDS), g))


def calibration_month(year: int, reference_month: str) -> str:
    """The month whose rates stand for a whole year: the simulated month in its year, else July."""
    return reference_month if int(reference_month[:4]) == year else f"{year}-07"


def salary_table(year: int, reference_month: str) -> Table:
    with _lock:
        return _salary(year, calibration_month(year, reference_month))


def replacement_table(kind: str, year: int, reference_month: str) -> Table:
    with _lock:
        return _replacement(kind, year, calibration_month(year, reference_month))


def csg_band(rfr: np.ndarray, parts: np.ndarray, year: int) -> np.ndarray:
    """The CSG band on replacement incomes (index into BANDS) from the RFR of year N-2 and tax parts.

    Same rule as OpenFisca's csg_deductible_retraite: thresholds for one part plus twice the
    half-part increment per extra part (article L136-8 of the Code de la sécurité sociale).
    """
    seuils = (
        tax_benefit_system()
        .get_parameters_at_instant(f"{year}-01-01")
        .prelevements_sociaux.contributions_sociales.csg.remplacement.seuils
    )
    extra = (np.asarray(parts, dtype=float) - 1) * 2
    s1 = seuils.seuil_rfr1.seuil_rfr1 + extra * seuils.seuil_rfr1.demi_part_suppl_rfr1
    s2 = seuils.seuil_rfr2.seuil_rfr2 + extra * seuils.seuil_rfr2.demi_part_suppl_rfr2
    s3 = seuils.seuil_rfr3.seuil_rfr3 + extra * seuils.seuil_rfr3.demi_part_suppl_rfr3
    rfr = np.asarray(rfr, dtype=float)
    return np.select([rfr <= s1, rfr <= s2, rfr <= s3], [0, 1, 2], 3)
