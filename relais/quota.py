"""Hourly quotas counted in Django's cache, never in the database: « at most N messages from this IP, or to
this recipient, per hour ».

    from relais import quota

    if not quota.admit("share-ip", client_ip(request) or "unknown", settings.RELAIS_SHARE_PER_HOUR):
        ...  # refused: the quota of the hour is spent

Used by the pages that send a message on a visitor's request with nothing stored: the rights results
(relais/rights/views/sending.py) and the sharing of results (relais/sharing/). A key that is personal data
(an e-mail address, a phone number) goes through `private_key()` first: the cache then holds a keyed hash
of it for an hour, never the address itself. The counts live as long as the window; with a cache per process
(Django's default, local memory) each process counts on its own.

Plumbing below every app (docs/adr/0009-house-rules.md): it imports nothing of Relais.
"""

from __future__ import annotations

import ipaddress

from django.core.cache import cache
from django.utils.crypto import salted_hmac

HOUR = 3600
DAY = 24 * HOUR
IPV6_PREFIX = 64  # one IPv6 subscriber holds a whole /64: its addresses count as one sender


def admit(scope: str, key: str, limit: int, window: int = HOUR) -> bool:
    """Count one more use of `key` in `scope`; False when the window's `limit` is already spent."""
    name = f"quota:{scope}:{key}"
    cache.add(name, 0, window)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, window)
        count = 1
    return count <= limit


def private_key(value: str) -> str:
    """A keyed hash of personal data (an address, a number): the same value gives the same key, and the
    key does not give the value back without the site's secret key."""
    return salted_hmac("relais.quota", value.strip().lower(), algorithm="sha256").hexdigest()[:32]


def sender(ip: str | None) -> str:
    """The key of a client address for a quota: an IPv4 address itself, an IPv6 address's /64 network (one
    home or phone gets a whole /64 and could otherwise take a new address for every message)."""
    if not ip:
        return "unknown"
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False))
    return str(address)
