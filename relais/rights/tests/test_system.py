"""Start-up: the law is built and warmed before serving, for this month and the next."""

import datetime as dt
import importlib

from relais.rights import engine, warmup


def test_the_months_warmed_are_this_one_and_the_next_across_a_new_year():
    assert warmup.warm_months(dt.date(2026, 11, 30)) == ["2026-11", "2026-12"]
    assert warmup.warm_months(dt.date(2026, 12, 2)) == ["2026-12", "2027-01"]


def test_no_warm_up_when_the_setting_is_off(settings, monkeypatch, law):
    settings.RELAIS_RIGHTS_WARMUP = False
    monkeypatch.setattr(engine, "_dirty_by_month", {})
    assert warmup.warm_up_if_enabled() is None
    assert engine._dirty_by_month == {}


def test_warm_up_traces_the_current_and_next_month_so_their_first_request_is_warm(settings, monkeypatch, law):
    settings.RELAIS_RIGHTS_WARMUP = True
    monkeypatch.setattr(engine, "_dirty_by_month", {})
    elapsed = warmup.warm_up_if_enabled()
    assert elapsed > 0
    assert set(engine._dirty_by_month) == set(warmup.warm_months())


def test_the_wsgi_module_warms_the_rights_engine_before_serving(settings, monkeypatch, law):
    settings.RELAIS_RIGHTS_WARMUP = True
    settings.RELAIS_SEARCH_WARMUP = False
    monkeypatch.setattr(engine, "_dirty_by_month", {})
    import relais.wsgi

    module = importlib.reload(relais.wsgi)
    assert callable(module.application)
    assert set(engine._dirty_by_month) == set(warmup.warm_months())


def test_a_month_not_warmed_is_traced_once_on_first_use(monkeypatch, law):
    from relais.rights.tests.conftest import simulate

    monkeypatch.setattr(engine, "_dirty_by_month", {})
    household = {"mois": "2026-06", "commune": "69383", "personnes": [{"id": "a", "role": "demandeur", "age": 30}]}
    simulate([household])
    simulate([household])
    assert list(engine._dirty_by_month) == ["2026-06"]
