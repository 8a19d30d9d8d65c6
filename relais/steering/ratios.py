"""Keeps `IndicatorProgress` (the latest values and ratio of each indicator, per territory) in step with the values.

Every save or delete of one value refreshes its indicator (signals, connected in apps.py); bulk writes (the
import, the demo) call `refresh` with the indicators they touched.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from relais.steering import progress as pg
from relais.steering.models import IndicatorValue, ValueKind
from relais.steering.models.indicators import IndicatorProgress

CHUNK = 500


@transaction.atomic
def refresh(indicator_ids) -> int:
    """Rebuild the rows of these indicators; returns the number of rows written."""
    ids = sorted(set(indicator_ids))
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        latest: dict = defaultdict(dict)
        rows = (
            IndicatorValue.objects.filter(indicator_id__in=chunk)
            .order_by("on", "id")
            .values_list("indicator_id", "territory_id", "kind", "value", "on")
        )
        for indicator_id, territory_id, kind, value, on in rows:
            latest[(indicator_id, territory_id)][kind] = (value, on)
        IndicatorProgress.objects.filter(indicator_id__in=chunk).delete()
        new = []
        for (indicator_id, territory_id), values in latest.items():
            initial = values.get(ValueKind.INITIAL, (None, None))[0]
            current, current_on = values.get(ValueKind.CURRENT, (None, None))
            target = values.get(ValueKind.TARGET, (None, None))[0]
            new.append(
                IndicatorProgress(
                    indicator_id=indicator_id,
                    territory_id=territory_id,
                    initial=initial,
                    current=current,
                    target=target,
                    current_on=current_on,
                    ratio=pg.indicator_ratio(initial, current, target),
                )
            )
        IndicatorProgress.objects.bulk_create(new, batch_size=1000)
        written += len(new)
    return written


def on_value_change(sender, instance, **kwargs):
    refresh([instance.indicator_id])
