"""The opt-out list keeps keyed hashes of the addresses instead of the addresses.

Existing rows are hashed in place (their recipient was stored normalized), then the address
column goes. Reversing cannot bring the addresses back: the rows keep their hash in the column.
"""

from django.db import migrations, models


def hash_recipients(apps, schema_editor):
    from audit.hashing import keyed_hash

    Suppression = apps.get_model("screener", "Suppression")
    rows = Suppression.objects.using(schema_editor.connection.alias)
    for row in rows.iterator():
        row.recipient_hash = keyed_hash(f"suppression:{row.channel}", row.recipient)
        row.save(update_fields=["recipient_hash"])


class Migration(migrations.Migration):
    dependencies = [("screener", "0011_lookup_status_closed")]

    operations = [
        migrations.AddField(
            model_name="suppression",
            name="recipient_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(hash_recipients, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="suppression", name="suppression_unique"),
        migrations.RemoveField(model_name="suppression", name="recipient"),
        migrations.AddConstraint(
            model_name="suppression",
            constraint=models.UniqueConstraint(
                fields=("channel", "recipient_hash"), name="suppression_unique_hash"
            ),
        ),
    ]
