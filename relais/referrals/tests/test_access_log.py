"""The access log: who read or changed which referral, when; it refuses updates and deletes, in Django and in the database."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from relais.append_only import AppendOnlyError
from relais.referrals.models import AccessLog, Status
from relais.referrals.tests.conftest import log_in


def test_reading_a_referral_page_writes_who_what_and_when(client, world, referral_in):
    referral = referral_in(Status.SENT)
    log_in(client, world.receiver)
    client.get(reverse("referrals:detail", args=[referral.pk]))
    entry = AccessLog.objects.filter(referral=referral, action=AccessLog.Action.VIEW).get()
    assert entry.user == world.receiver
    assert entry.actor == world.receiver.email
    assert entry.channel == AccessLog.Channel.WEB
    assert entry.at is not None


def test_every_referral_listed_in_the_inbox_is_logged_as_read(client, world, referral_in):
    referrals = [referral_in(Status.SENT) for _ in range(3)]
    log_in(client, world.receiver_admin)
    client.get(reverse("referrals:inbox"))
    listed = set(
        AccessLog.objects.filter(action=AccessLog.Action.LIST, user=world.receiver_admin).values_list(
            "referral_id", flat=True
        )
    )
    assert listed == {r.pk for r in referrals}


def test_changes_are_logged_with_their_step(world, referral_in):
    referral = referral_in(Status.ACCEPTED)
    details = list(
        AccessLog.objects.filter(referral=referral, action=AccessLog.Action.CHANGE)
        .order_by("id")
        .values_list("detail", "actor")
    )
    assert details == [
        ("draft", world.professional.email),
        ("draft>sent", world.professional.email),
        ("sent>accepted", world.receiver.email),
    ]


def test_the_model_refuses_to_update_or_delete_an_entry(world, referral_in):
    referral_in(Status.SENT)
    entry = AccessLog.objects.first()
    entry.actor = "quelqu’un d’autre"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=entry.pk).update(actor="x")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get(pk=entry.pk).actor != "quelqu’un d’autre"


def test_the_database_refuses_an_update_that_bypasses_django(world, referral_in):
    referral_in(Status.SENT)
    entry = AccessLog.objects.first()
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE referrals_accesslog SET actor = %s WHERE id = %s", ["x", entry.pk])
    assert AccessLog.objects.get(pk=entry.pk).actor == entry.actor


def test_the_database_refuses_a_delete_that_bypasses_django(world, referral_in):
    referral_in(Status.SENT)
    count = AccessLog.objects.count()
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM referrals_accesslog")
    assert AccessLog.objects.count() == count


def test_deleting_an_account_keeps_its_log_entries(world, referral_in):
    referral_in(Status.SENT)
    count = AccessLog.objects.filter(user=world.professional).count()
    assert count
    world.professional.memberships.all().delete()
    user_id = world.professional.pk
    world.professional.delete()
    assert AccessLog.objects.filter(user_id=user_id).count() == count


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's statement")


@postgresql_only
def test_postgresql_refuses_to_truncate_the_log(world, referral_in):
    referral_in(Status.SENT)
    count = AccessLog.objects.count()
    assert count
    for statement in ("TRUNCATE referrals_accesslog", "TRUNCATE referrals_accesslog RESTART IDENTITY CASCADE"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement)
    assert AccessLog.objects.count() == count


@postgresql_only
def test_truncating_the_referrals_does_not_reach_the_log(world, referral_in):
    referral_in(Status.SENT)
    count = AccessLog.objects.count()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's transaction holds deferred checks
        cursor.execute("TRUNCATE referrals_referral CASCADE")  # no foreign key leads from the log's rows
    assert AccessLog.objects.count() == count


@postgresql_only
def test_an_empty_log_may_be_truncated_like_the_test_runners_flush_does(db):
    assert not AccessLog.objects.exists()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE referrals_accesslog")


def test_the_guard_triggers_are_installed_by_the_migrations(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'referrals_accesslog'::regclass AND NOT tgisinternal"
            )
            expected = {"referrals_accesslog_no_update_delete", "referrals_accesslog_no_truncate"}
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'referrals_accesslog'")
            expected = {"referrals_accesslog_no_update", "referrals_accesslog_no_delete"}
        assert {row[0] for row in cursor.fetchall()} == expected
