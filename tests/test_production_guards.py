"""Production start-up guards (issue 8, point 7): with RELAIS_PRODUCTION=1, Relais refuses to start with
DEBUG on, with the development key or a weak key, and when the database role it connects as owns the
append-only tables or is a superuser; each refusal names the setting and says why."""

import io
import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import DatabaseError, connection, transaction

from relais.production import DEVELOPMENT_SECRET_KEY, settings_problems
from relais.web.checks import append_only_tables, database_problems

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = secrets.token_urlsafe(64)
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")


def load_settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RELAIS_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-c", "import relais.settings as s; print(s.DEBUG, s.PRODUCTION)"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# -- settings ----------------------------------------------------------------------------------------


def test_production_refuses_to_start_with_debug_on_and_names_the_setting():
    result = load_settings(RELAIS_PRODUCTION="1", RELAIS_DEBUG="1", RELAIS_SECRET_KEY=GOOD_KEY)

    assert result.returncode != 0
    assert "RELAIS_DEBUG: must be off when RELAIS_PRODUCTION is on" in result.stderr
    assert "debug pages show settings" in result.stderr


def test_production_refuses_to_start_without_a_key_or_with_the_development_key():
    for env in ({}, {"RELAIS_SECRET_KEY": DEVELOPMENT_SECRET_KEY}):
        result = load_settings(RELAIS_PRODUCTION="1", **env)

        assert result.returncode != 0
        assert "RELAIS_SECRET_KEY: required when RELAIS_PRODUCTION is on, and not the development key" in result.stderr


def test_production_refuses_a_short_key_and_says_how_long_it_must_be():
    result = load_settings(RELAIS_PRODUCTION="1", RELAIS_SECRET_KEY=GOOD_KEY[:49])

    assert result.returncode != 0
    assert "RELAIS_SECRET_KEY: too weak for production (49 characters" in result.stderr
    assert "at least 50" in result.stderr


def test_production_starts_with_a_long_random_key_and_debug_off():
    result = load_settings(RELAIS_PRODUCTION="1", RELAIS_SECRET_KEY=GOOD_KEY)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_development_still_starts_with_debug_and_the_development_key():
    result = load_settings(RELAIS_DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]


def test_a_long_key_of_few_distinct_characters_is_refused_as_low_entropy():
    assert settings_problems(debug=False, secret_key=GOOD_KEY) == []
    for weak in ("k" * 80, "abcdefghi" * 9, "django-insecure-" + GOOD_KEY):
        (problem,) = settings_problems(debug=False, secret_key=weak)
        assert problem.startswith("RELAIS_SECRET_KEY:")


def test_debug_and_a_weak_key_are_both_reported_at_once():
    problems = settings_problems(debug=True, secret_key="short")

    assert [p.split(":")[0] for p in problems] == ["RELAIS_DEBUG", "RELAIS_SECRET_KEY"]


# -- the database role -------------------------------------------------------------------------------


def test_the_append_only_tables_are_the_referral_access_log_the_screening_log_and_the_error_report_log():
    assert append_only_tables() == ["offer_errorreportlog", "referrals_accesslog", "rights_screeninglog"]


@postgresql_only
@pytest.mark.django_db
def test_a_superuser_connection_is_refused_because_it_can_disable_the_triggers():
    (problem,) = database_problems(connection)  # the test suite connects as postgres, a superuser

    assert problem.startswith("DATABASE_URL: the app connects as 'postgres', a superuser")
    assert "referrals_accesslog" in problem


def _role(prefix: str) -> str:
    return f"relais_test_{prefix}_{uuid.uuid4().hex[:10]}"


@postgresql_only
@pytest.mark.django_db
def test_the_owner_of_the_append_only_tables_is_refused_and_each_table_is_named():
    owner = _role("owner")
    with connection.cursor() as cursor:  # all inside the test's transaction: rolled back, role included
        cursor.execute(f'CREATE ROLE "{owner}" NOSUPERUSER')
        for table in append_only_tables():
            cursor.execute(f'ALTER TABLE "{table}" OWNER TO "{owner}"')
        cursor.execute(f'SET ROLE "{owner}"')
        try:
            problems = database_problems(connection)
        finally:
            cursor.execute("RESET ROLE")

    assert len(problems) == 3
    assert f"the app connects as '{owner}', which owns the append-only table offer_errorreportlog" in problems[0]
    assert "referrals_accesslog" in problems[1]
    assert "rights_screeninglog" in problems[2]
    assert "an owner can disable its triggers" in problems[0]


@postgresql_only
@pytest.mark.django_db
def test_the_app_role_set_up_by_grant_app_role_passes_and_cannot_alter_the_log():
    app = _role("app")
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{app}" NOSUPERUSER')
    call_command("grant_app_role", app, stdout=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{app}"')
        try:
            assert database_problems(connection) == []
            cursor.execute("SELECT count(*) FROM referrals_accesslog")  # reads and inserts are granted
            for statement in (
                "UPDATE referrals_accesslog SET actor = 'x'",
                "DELETE FROM rights_screeninglog",
                "DELETE FROM offer_errorreportlog",
                "TRUNCATE referrals_accesslog",
                "ALTER TABLE referrals_accesslog DISABLE TRIGGER ALL",
            ):
                with pytest.raises(DatabaseError, match="permission denied|must be owner"), transaction.atomic():
                    cursor.execute(statement)
            cursor.execute("UPDATE rights_screeninglog SET user_id = NULL WHERE false")  # SET_NULL on a user's deletion
            cursor.execute("UPDATE offer_errorreportlog SET user_id = NULL WHERE false")
        finally:
            cursor.execute("RESET ROLE")


@postgresql_only
@pytest.mark.django_db
def test_manage_py_check_deploy_reports_the_role_as_an_error_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(SystemCheckError, match="relais.E001"):
        call_command("check", "--deploy", "--database", "default", "--fail-level", "ERROR")


@postgresql_only
@pytest.mark.django_db
def test_the_wsgi_application_refuses_to_load_in_production_as_a_superuser():
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    result = subprocess.run(
        [sys.executable, "-c", "import relais.wsgi"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("RELAIS_")},
            "DATABASE_URL": url,
            "RELAIS_PRODUCTION": "1",
            "RELAIS_SECRET_KEY": GOOD_KEY,
            "RELAIS_RIGHTS_WARMUP": "0",
            "RELAIS_SEARCH_WARMUP": "0",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "Relais refuses to start in production: DATABASE_URL: the app connects as" in result.stderr
    assert "a superuser" in result.stderr
