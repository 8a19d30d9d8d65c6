"""Offer pages: public browsing (public.py) and partner editing and moderation (partner.py)."""
