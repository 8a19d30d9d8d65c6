"""The one definition of a result's monthly totals, used by the engine (API, commands, screening) and
by every page and printed summary, so that a total reads the same everywhere.

- `total_mensuel`: the monthly amounts of every benefit and local aid estimated due (the declared
  amount for one already received), national benefits « to check » included; yearly and one-off
  amounts are not in it, nor the CSS (a cover, not money), nor a local aid « to examine » (no amount).
- `total_mensuel_a_demander`: the same without what the household already receives.
- `total_mensuel_a_verifier`: the part of `total_mensuel_a_demander` that rests on a condition not
  checked here (AAH and its majoration, ASF, ASI, ASS; local aids with uncertain rules): pages show it
  as « dont … à vérifier avec un professionnel ».

`codes` restricts the totals to the aids a person asked about (the pages show only those).
"""

from __future__ import annotations

# National benefits that rest on a condition the questionnaire cannot check (MDPH decision,
# absence of alimony, end of unemployment rights, invalidity).
TO_CHECK = frozenset({"asf", "aah", "majoration_vie_autonome", "asi", "ass"})


def _amount(item: dict) -> float:
    if item.get("deja_percu") and item.get("montant_declare"):
        return float(item["montant_declare"])
    return float(item.get("montant") or 0.0)


def monthly_totals(prestations: list[dict], aides_locales: list[dict], codes=None) -> dict[str, float]:
    wanted = set(codes) if codes else None
    total = to_claim = to_check = 0.0
    rows = [(item["code"], item, item.get("eligible") and item["code"] != "css", item["code"] in TO_CHECK)
            for item in prestations]  # fmt: skip
    rows += [(aid["id"], aid, aid.get("statut") == "eligible", bool(aid.get("incertain"))) for aid in aides_locales]
    for code, item, due, uncertain in rows:
        if not due or item.get("periodicite") != "mensuelle" or (wanted is not None and code not in wanted):
            continue
        amount = _amount(item)
        total += amount
        if not item.get("deja_percu"):
            to_claim += amount
            if uncertain:
                to_check += amount
    return {
        "total_mensuel": round(total, 2),
        "total_mensuel_a_demander": round(to_claim, 2),
        "total_mensuel_a_verifier": round(to_check, 2),
    }
