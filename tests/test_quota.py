"""relais/quota.py: hourly quotas in the cache; a personal key is kept as a keyed hash only."""

import pytest
from django.core.cache import cache

from relais import quota


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_key_is_admitted_up_to_its_limit_then_refused_and_scopes_and_keys_count_apart():
    assert [quota.admit("essai", "10.0.0.1", 2) for _ in range(3)] == [True, True, False]
    assert quota.admit("essai", "10.0.0.2", 2) and quota.admit("autre", "10.0.0.1", 2)


def test_the_count_ends_with_its_window(time_machine):
    time_machine.move_to("2026-03-04 10:00", tick=False)
    assert quota.admit("essai", "k", 1, window=60) and not quota.admit("essai", "k", 1, window=60)
    time_machine.move_to("2026-03-04 10:00:59", tick=False)
    assert not quota.admit("essai", "k", 1, window=60)
    time_machine.move_to("2026-03-04 10:01:01", tick=False)
    assert quota.admit("essai", "k", 1, window=60)


def test_a_private_key_is_the_same_for_the_same_address_and_does_not_hold_it():
    key = quota.private_key("Ami@Example.org ")
    assert key == quota.private_key("ami@example.org") != quota.private_key("autre@example.org")
    assert "ami" not in key and "example" not in key and len(key) == 32
    quota.admit("share-to", key, 3)
    assert not [k for k in cache._cache if "ami@" in str(k)]  # noqa: SLF001 (the locmem cache's keys)


@pytest.mark.parametrize(
    ("ip", "key"),
    [
        ("10.0.0.7", "10.0.0.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),  # the same subscriber, another address
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),  # another subscriber
        ("::ffff:10.0.0.7", "10.0.0.7"),  # an IPv4 client seen through IPv6
        (None, "unknown"),
        ("n'importe quoi", "unknown"),
    ],
)
def test_a_sender_is_its_ipv4_address_or_its_ipv6_64_network(ip, key):
    assert quota.sender(ip) == key
