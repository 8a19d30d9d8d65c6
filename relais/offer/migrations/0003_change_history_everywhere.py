"""Every change keeps a history: aids get one, deletions are recorded, the history outlives its listing.

`Change.target` says what a change is about (structure, service or aid) even once that is deleted;
existing rows get it from their links. `Change.note` says where a change came from (an imported file).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, Q


def fill_targets(apps, schema_editor):
    Change = apps.get_model("offer", "Change")
    Change.objects.filter(Q(service__isnull=False) | ~Q(object_id=F("structure_id"))).update(target="service")


class Migration(migrations.Migration):
    dependencies = [
        ("offer", "0002_horaires_accueil_validator"),
    ]

    operations = [
        migrations.AddField(
            model_name="change",
            name="target",
            field=models.CharField(
                choices=[("structure", "structure"), ("service", "service"), ("aid", "aide")],
                db_index=True,
                default="structure",
                max_length=10,
                verbose_name="fiche",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_targets, migrations.RunPython.noop),
        migrations.AddField(
            model_name="change",
            name="aid",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="changes",
                to="offer.aid",
            ),
        ),
        migrations.AddField(
            model_name="change",
            name="note",
            field=models.CharField(
                blank=True, help_text="par exemple le fichier importé", max_length=200, verbose_name="origine"
            ),
        ),
        migrations.AlterField(
            model_name="change",
            name="structure",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="changes",
                to="offer.structure",
            ),
        ),
        migrations.AlterField(
            model_name="change",
            name="object_id",
            field=models.CharField(db_index=True, max_length=200, verbose_name="identifiant de la fiche"),
        ),
        migrations.AlterField(
            model_name="change",
            name="kind",
            field=models.CharField(
                choices=[
                    ("create", "création"),
                    ("update", "mise à jour"),
                    ("import", "import"),
                    ("revert", "annulation"),
                    ("delete", "suppression"),
                ],
                max_length=10,
                verbose_name="type",
            ),
        ),
    ]
