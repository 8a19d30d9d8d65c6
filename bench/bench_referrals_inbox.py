"""Figure: the inbox page of a structure holding 10,000 referrals: p50/p95 time and SQL queries per request.

Builds a fresh database (SQLite file under var/bench/ by default, or the PostgreSQL database
`relais_bench_inbox` with --postgres), migrates it, gives one structure 10,000 sent referrals in
mixed states, then requests its inbox through Django's test client (the whole stack but the
network: middleware, session, query, template, access-log insert) on random pages, as a member
whose second factor is verified for the session (the inbox shows personal data).

    .venv/bin/python bench/bench_referrals_inbox.py
    .venv/bin/python bench/bench_referrals_inbox.py --postgres postgres://postgres@127.0.0.1:5432/ --requests 300

The query count is pinned in relais/referrals/tests/test_inbox.py.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

from databases import fresh_database  # noqa: E402  (bench/ is on sys.path when a bench runs)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--referrals", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--postgres", metavar="SERVER_URL", help="e.g. postgres://postgres@127.0.0.1:5432/")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one inbox request")
    return parser.parse_args()


def prepare_database(args) -> str:
    return fresh_database("inbox", args.postgres)


def main():
    args = parse_args()
    os.environ["DATABASE_URL"] = prepare_database(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
    import django

    django.setup()

    import datetime as dt

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from relais.accounts.testing import log_in_verified
    from relais.referrals.models import Referral, RefusalReason, Situation, Status
    from tests.factories import make_member, make_service, make_structure

    setup_test_environment()  # allows the "testserver" host, locmem e-mail
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    receiving = make_structure(nom="Structure qui reçoit (bench)")
    sending = make_structure(nom="Structure qui oriente (bench)")
    services = [make_service(receiving, nom=f"Service {n} (bench)") for n in range(5)]
    member = make_member(receiving)
    sender = make_member(sending)

    rng = random.Random(20260301)
    now = timezone.now()
    statuses = (
        [Status.SENT] * 3 + [Status.ACCEPTED] * 3 + [Status.REFUSED, Status.EXPIRED, Status.CLOSED, Status.CANCELLED]
    )
    started = time.perf_counter()
    batch = []
    for n in range(args.referrals):
        sent_at = now - dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
        status = rng.choice(statuses)
        batch.append(
            Referral(
                service=rng.choice(services),
                structure=receiving,
                commune_code=receiving.code_insee,
                sender=sender,
                sender_structure=sending,
                status=status,
                refusal_reason=RefusalReason.NO_CAPACITY if status == Status.REFUSED else "",
                created_at=sent_at,
                sent_at=sent_at,
                answer_due_at=sent_at + dt.timedelta(days=30),
                consent_wording_version="2026-03",
                consent_at=sent_at,
                first_name=f"Prénom{n}",
                last_name=f"Nom{n}",
                person_key=f"nom{n}|prenom{n}",
                contact_channel="phone",
                contact_value="06 00 00 00 00",
                availability="le matin",
                situation=rng.choice(Situation.values),
                reason="Motif de test du banc d’essai.",
            )
        )
        if len(batch) == 2000:
            Referral.objects.bulk_create(batch)
            batch = []
    Referral.objects.bulk_create(batch)
    built = time.perf_counter() - started

    client = Client()
    log_in_verified(client, member)  # the inbox shows personal data: a session whose second factor is verified
    pages = max(1, args.referrals // 50)
    for _ in range(5):
        warm = client.get("/orientations/recues/")  # warm-up
        assert warm.status_code == 200, f"inbox answered {warm.status_code} {warm.get('Location', '')}"
    timings = []
    for n in range(args.requests):
        page = 1 if n % 4 == 0 else rng.randrange(1, pages + 1)
        start = time.perf_counter()
        response = client.get("/orientations/recues/", {"page": page})
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get("/orientations/recues/", {"page": min(7, pages)})
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"engine: {connection.vendor}; python {platform.python_version()}; {platform.machine()}; {os.cpu_count()} CPU"
    )
    print(
        f"referrals in the structure's inbox: {Referral.objects.filter(structure=receiving).count():,} (built in {built:.1f} s)"
    )
    print(f"requests: {len(timings)} (page 1 and random pages of 50)")
    print()
    print("| figure | value |")
    print("| --- | --- |")
    print(f"| inbox p50 | {statistics.median(timings):.1f} ms |")
    print(f"| inbox p95 | {p95:.1f} ms |")
    print(f"| inbox max | {timings[-1]:.1f} ms |")
    control = [
        q for q in queries.captured_queries if q["sql"].split(" ")[0] in ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")
    ]
    print(
        f"| SQL queries per inbox request | {len(queries) - len(control)} statements + {len(control)} transaction "
        "control (BEGIN/COMMIT of the access-log insert; the statements are pinned in "
        "relais/referrals/tests/test_inbox.py) |"
    )
    if args.show_queries:
        for query in queries.captured_queries:
            print(query["sql"][:160])


if __name__ == "__main__":
    main()
