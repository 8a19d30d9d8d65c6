"""Login throttling under real concurrency: threads post at once, each with its own database connection.

The password hasher of these tests counts its calls (and can hold wrong passwords at a gate), so the
tests assert what the issue measured: no more password checks than the limit, and the right password
refused once the limit is reached, even while earlier attempts are still being checked.
"""

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connections
from django.test import Client

from relais.accounts.models import LoginAttempt
from tests.factories import make_user

# Threads need committed data and their own connections. The test database of SQLite is in memory with a
# shared cache, whose table locks make concurrent writers fail at once ("database table is locked"): the
# login tests run on PostgreSQL (DATABASE_URL); SQLite's side is the last test, on a file database.
on_postgresql = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        "postgresql" not in django_settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL (DATABASE_URL)"
    ),
]


def concurrent(test):
    for mark in on_postgresql:
        test = mark(test)
    return test


LOGIN = "/comptes/connexion/"
GOOD = "un-mot-de-passe-solide"
WRONG = "mauvais-mot-de-passe"


class CountingHasher(MD5PasswordHasher):
    """MD5 (fast) that counts every hash it computes; wrong passwords may wait at `gate`."""

    calls = 0
    lock = threading.Lock()
    gate = threading.Event()

    def _count(self, password):
        with CountingHasher.lock:
            CountingHasher.calls += 1
        if password != GOOD:
            CountingHasher.gate.wait(timeout=20)

    def encode(self, password, salt):  # every hash: verify() computes one, so does an unknown address's login
        self._count(password)
        return super().encode(password, salt)


@pytest.fixture
def hasher(settings):
    settings.PASSWORD_HASHERS = [f"{CountingHasher.__module__}.CountingHasher"]
    CountingHasher.calls = 0
    CountingHasher.gate.set()
    yield CountingHasher
    CountingHasher.gate.set()


@pytest.fixture
def paula(hasher):
    user = make_user(email="paula@example.org", password=GOOD)
    hasher.calls = 0  # creating the account hashed once
    return user


def attempt(email, password, ip="203.0.113.7"):
    """One login from a fresh client, in the calling thread (with its own connection)."""
    try:
        client = Client()
        response = client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)
        # The page, not response.context: the test client's template signals mix the threads' contexts.
        return response.status_code, response.content.decode(), "_auth_user_id" in client.session
    finally:
        connections.close_all()


def in_parallel(calls):
    barrier = threading.Barrier(len(calls))

    def run(args):
        barrier.wait(timeout=20)
        return attempt(*args)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


@concurrent
def test_twenty_five_parallel_wrong_passwords_cost_five_password_checks(hasher, paula, settings):
    results = in_parallel([("paula@example.org", WRONG)] * 25)

    assert hasher.calls == settings.RELAIS_LOGIN_MAX_FAILURES == 5
    assert all(status == 200 for status, _, _ in results)
    assert sum("Trop de tentatives" in errors for _, errors, _ in results) >= 20
    assert LoginAttempt.objects.filter(email="paula@example.org").count() == 5


@concurrent
def test_parallel_attempts_on_an_unknown_address_are_bounded_the_same_way(hasher):
    results = in_parallel([("personne@example.org", WRONG)] * 12)

    assert hasher.calls == 5
    assert sum("Trop de tentatives" in errors for _, errors, _ in results) >= 7


@concurrent
def test_parallel_attempts_from_one_ip_on_many_addresses_are_bounded_by_the_ip_limit(hasher, settings):
    settings.RELAIS_LOGIN_MAX_FAILURES_PER_IP = 6
    results = in_parallel([(f"essai{n}@example.org", WRONG, "198.51.100.9") for n in range(16)])

    assert hasher.calls == 6
    assert sum("Trop de tentatives" in errors for _, errors, _ in results) >= 10


@concurrent
def test_the_right_password_is_refused_while_the_limits_wrong_attempts_are_still_being_checked(hasher, paula):
    hasher.gate.clear()  # wrong passwords wait inside the hasher: their checks are in flight
    with ThreadPoolExecutor(max_workers=15) as pool:
        wrong = [pool.submit(attempt, "paula@example.org", WRONG) for _ in range(15)]
        # Wait until each wrong attempt is either refused or inside a password check.
        for _ in range(400):
            if hasher.calls + sum(future.done() for future in wrong) >= 15:
                break
            threading.Event().wait(0.05)
        status, errors, logged_in = attempt("paula@example.org", GOOD)
        hasher.gate.set()
        results = [future.result(timeout=30) for future in wrong]

    assert not logged_in
    assert status == 200 and "Trop de tentatives" in errors
    assert hasher.calls == 5
    assert sum("Trop de tentatives" in errors for _, errors, _ in results) >= 10


SQLITE_SCRIPT = """
import threading, django
django.setup()
from django.core.management import call_command
from django.db import connection, connections
from relais.accounts import throttling
from relais.accounts.models import LoginAttempt

call_command("migrate", "accounts", verbosity=0)
connection.close()
barrier = threading.Barrier(25)
admitted = []

def run():
    barrier.wait(timeout=20)
    try:
        admitted.append(throttling.admit("paula@example.org", "203.0.113.7").allowed)
    finally:
        connections.close_all()

threads = [threading.Thread(target=run) for _ in range(25)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(sum(admitted), len(admitted), LoginAttempt.objects.count())
"""


def test_on_a_sqlite_file_database_25_parallel_admissions_let_exactly_five_through(tmp_path):
    """SQLite's side of the design, with the production's file database (WAL, BEGIN IMMEDIATE), not the
    test database in memory: 25 threads, each with its own connection, ask to be admitted at once."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RELAIS_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "-c", SQLITE_SCRIPT],
        cwd=Path(__file__).resolve().parents[3],
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "relais.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["5", "25", "5"]
