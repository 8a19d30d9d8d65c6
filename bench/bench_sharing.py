"""What a person waits for when sharing results or reporting an error, on the demo offer.

    .venv/bin/python bench/bench_sharing.py [--rounds 200]

In process (Django's test client, no network, e-mails in memory), on a fresh SQLite database under var/bench/
loaded with the shipped referential and the demo offer (`load_territories`, `load_demo`):

- the sharing page of a professional search (GET: the search runs again for the preview and the link);
- sending that list by e-mail (POST: search, message, link rebuilt from what the search understood);
- the sharing page of a service fiche and sending it;
- an error report on a service fiche (POST: validation, storage, e-mails to the structure and its people).

Quotas are cleared before each request (the bench measures the work, not the refusal). p50 and p95 in
milliseconds. Figures go to docs/performance.md ("Sharing and error reports").
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from databases import fresh_database  # noqa: E402


def timed(rounds: int, call) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds
    os.environ["DATABASE_URL"] = fresh_database("sharing", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from relais.offer.models import Service

    setup_test_environment()  # e-mails kept in memory
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    call_command("load_territories", verbosity=0)
    call_command("load_demo", verbosity=0)
    service = Service.objects.filter(commune__startswith="Lyon").order_by("pk").first()
    assert service is not None

    client = Client()
    search = "lieu=69003&besoins=aide+alimentaire"
    client.get(f"/recherche/?{search}")  # the index is built once, as on a warm server

    def ok(response, status=200):
        assert response.status_code == status, (response.status_code, response.content[:300])

    def share_get(path):
        return lambda: ok(client.get(path))

    def share_post(path):
        def call():
            cache.clear()
            ok(client.post(path, {"canal": "courriel", "courriel": "ami@example.org"}))

        return call

    def report():
        cache.clear()
        ok(client.post(f"/offre/services/{service.pk}/signaler/", {"kind": "hours", "message": "Fermé le mardi."}), 302)

    cases = [
        ("sharing page of a search (GET)", share_get(f"/partager/recherche/?{search}")),
        ("sending a search's first 5 results by e-mail (POST)", share_post(f"/partager/recherche/?{search}")),
        ("sharing page of a service fiche (GET)", share_get(f"/partager/service/{service.pk}/")),
        ("sending a service fiche by e-mail (POST)", share_post(f"/partager/service/{service.pk}/")),
        ("reporting an error on a service fiche (POST)", report),
    ]
    print(f"{rounds} rounds each, demo offer ({Service.objects.count()} services), SQLite, in process\n")
    print("| request | p50 | p95 |\n| --- | ---: | ---: |")
    for label, call in cases:
        p50, p95 = timed(rounds, call)
        print(f"| {label} | {p50:.1f} ms | {p95:.1f} ms |")
    print(f"\n{len(mail.outbox)} e-mails built and kept in memory")


if __name__ == "__main__":
    main()
