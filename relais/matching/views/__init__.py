"""Orientation pages: the professional search (pro.py), the resident's path (resident.py) and the
fiche d'orientation (fiche.py); what they share is in common.py."""
