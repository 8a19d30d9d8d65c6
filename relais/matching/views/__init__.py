"""Orientation pages: the professional search (pro.py), the resident's path (resident.py) and the
fiche de services (fiche.py); what they share is in common.py."""
