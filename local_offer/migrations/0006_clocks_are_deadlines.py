"""The stale-record and action reminders became alerts from the alert engine about the core's
deadlines without a case (local_offer.clocks): their own bookkeeping tables go."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("local_offer", "0005_search_in_core_index"),
    ]

    operations = [
        migrations.DeleteModel(name="ActionAlert"),
        migrations.DeleteModel(name="StaleAlert"),
    ]
