"""Append-only models: logs of who saw or did what, which the application never updates nor deletes.

A model inherits `AppendOnlyModel`: saving an existing row, deleting a row and bulk updates or deletes
through its manager raise `AppendOnlyError`. The referral access log adds database triggers on top
(relais/referrals/dbguard.py); erasing such rows on a schedule, if ever, is a migration's or an
administrator's act, never the application's.
"""

from django.db import models


class AppendOnlyError(Exception):
    """Rows of an append-only log are never updated nor deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.label} is append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.label} is append-only")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.label} is append-only")
