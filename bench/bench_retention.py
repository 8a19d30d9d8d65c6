"""Figure: the retention job (`purge_referral_personal_data --wet-run`) over 1,000,000 referral rows on PostgreSQL.

Creates (drops first) the PostgreSQL database `relais_bench_retention`, migrates it, inserts
1,000,000 referrals with `generate_series` (80 % past their erasure date, 1,000 of them with a
real attachment file), then times the dry run, the wet run, and a second wet run (nothing left).

    .venv/bin/python bench/bench_retention.py
    .venv/bin/python bench/bench_retention.py --server postgres://postgres@127.0.0.1:5432/ --rows 200000

The database is left in place for inspection; drop it with `dropdb relais_bench_retention`.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = "relais_bench_retention"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", default=os.environ.get("PG_URL_SERVER", "postgres://postgres@127.0.0.1:5432/"))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--batch-size", type=int, default=5000)
    return parser.parse_args()


def recreate_database(server_url: str) -> str:
    import dj_database_url
    import psycopg

    server = dj_database_url.parse(server_url.rstrip("/") + "/postgres")
    with psycopg.connect(
        host=server["HOST"],
        port=server["PORT"] or 5432,
        user=server["USER"],
        password=server["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    return server_url.rstrip("/") + f"/{DATABASE}"


INSERT = """
INSERT INTO referrals_referral (
    id, service_id, structure_id, commune_code, sender_id, sender_structure_id, status, refusal_reason,
    share_reason_with_person, outcome, created_at, sent_at, answer_due_at, answered_at, ended_at, reminders_sent,
    consent_wording_version, consent_at, first_name, last_name, person_key, contact_channel, contact_value,
    availability, situation, reason, attachment, attachment_kind, attachment_purge_after, personal_data_purge_after,
    submission_digest
)
SELECT
    gen_random_uuid(), %(service)s, %(structure)s, '69383', %(sender)s, %(sending)s,
    CASE WHEN i %% 5 = 0 THEN 'sent' WHEN i %% 5 = 1 THEN 'refused' ELSE 'accepted' END,
    CASE WHEN i %% 5 = 1 THEN 'no_capacity' ELSE '' END,
    false, '', t, t, t + interval '30 days',
    CASE WHEN i %% 5 = 0 THEN NULL ELSE t + interval '2 days' END,
    CASE WHEN i %% 5 = 1 THEN t + interval '2 days' END,
    0, '2026-03', t, 'Prénom' || i, 'Nom' || i, 'nom' || i || '|prenom' || i, 'phone', '06 00 00 00 00',
    'le matin', 'housing', 'Motif de test du banc d’essai.', '', '',
    CASE WHEN i %% 5 = 0 THEN NULL ELSE t + interval '32 days' END,
    CASE WHEN i %% 5 = 0 THEN NULL ELSE t + interval '92 days' END,
    ''
FROM (
    SELECT i, now() - (i %% 400) * interval '1 day' AS t FROM generate_series(1, %(rows)s) AS i
) AS rows
"""


def main():
    args = parse_args()
    os.environ["DATABASE_URL"] = recreate_database(args.server)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
    media = tempfile.mkdtemp(prefix="relais-bench-media-")
    os.environ["RELAIS_MEDIA_ROOT"] = media
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.db import connection

    from relais.referrals.models import Referral
    from tests.factories import make_member, make_service, make_structure

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    receiving, sending = make_structure(), make_structure()
    service = make_service(receiving)
    sender = make_member(sending)

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT,
            {
                "service": service.pk,
                "structure": receiving.pk,
                "sender": sender.pk,
                "sending": sending.pk,
                "rows": args.rows,
            },
        )
    # Real files for some referrals past their attachment date.
    due = list(
        Referral.objects.filter(attachment_purge_after__lt=django.utils.timezone.now()).values_list("pk", flat=True)[
            : args.files
        ]
    )
    for pk in due:
        name = default_storage.save(f"referrals/bench/{pk}.pdf", ContentFile(b"%PDF-1.4 bench"))
        Referral.objects.filter(pk=pk).update(attachment=name, attachment_kind="pdf")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE referrals_referral")
    built = time.perf_counter() - started

    def timed(*command_args) -> tuple[float, str]:
        out = io.StringIO()
        start = time.perf_counter()
        call_command("purge_referral_personal_data", *command_args, stdout=out)
        return time.perf_counter() - start, out.getvalue().strip()

    dry_time, dry_out = timed()
    wet_time, wet_out = timed("--wet-run", "--batch-size", str(args.batch_size))
    again_time, again_out = timed("--wet-run")
    left = Referral.objects.filter(anonymised_at__isnull=True).count()
    files_left = sum(len(files) for _, _, files in os.walk(media))
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(f"engine: {version}; python {platform.python_version()}; {platform.machine()}; {os.cpu_count()} CPU")
    print(f"rows: {Referral.objects.count():,} referrals (built in {built:.1f} s), {len(due):,} with a file")
    print()
    print("| run | wall time | what the command printed |")
    print("| --- | --- | --- |")
    print(f"| dry run | {dry_time:.2f} s | {dry_out} |")
    print(f"| wet run (batches of {args.batch_size:,}) | {wet_time:.2f} s | {wet_out} |")
    print(f"| second wet run (nothing left) | {again_time:.2f} s | {again_out} |")
    print()
    print(f"referrals still holding personal data (not yet due): {left:,}; attachment files left: {files_left}")


if __name__ == "__main__":
    main()
