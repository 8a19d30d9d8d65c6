"""Offer endpoints: structures, services and vocabularies, named as in the data·inclusion API."""

from ninja import Router

router = Router(tags=["offer"])
