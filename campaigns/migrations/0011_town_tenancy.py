"""Issue 24, town first: a town-level department may belong to a town. An install with exactly one town
gives it its town-level departments and its campaigns without a town; nothing changes for it."""

import django.db.models.deletion
from django.db import migrations, models


def one_town(apps, schema_editor):
    Town = apps.get_model("campaigns", "Town")
    towns = list(Town.objects.values_list("pk", flat=True)[:2])
    if len(towns) != 1:
        return  # none yet, or a city: each town's rows are assigned by its office
    town_id = towns[0]
    apps.get_model("campaigns", "Department").objects.filter(level="town", town__isnull=True).update(
        town_id=town_id
    )
    apps.get_model("campaigns", "Campaign").objects.filter(town__isnull=True).update(town_id=town_id)


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0010_town_settings'),
    ]

    operations = [
        migrations.AddField(
            model_name='department',
            name='town',
            field=models.ForeignKey(blank=True, help_text='镇级部门所属的镇；各镇共用的部门和市级部门留空', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='departments', to='campaigns.town', verbose_name='所属镇'),
        ),
        migrations.RunPython(one_town, migrations.RunPython.noop),
    ]
