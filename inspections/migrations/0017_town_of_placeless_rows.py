"""Issue 24, town first: tip-offs and work records carry their town, so those naming no village and no
unit are read by their own town's staff only. Existing rows get theirs from their village, unit,
department or recorder (the one town of a single-town install for all)."""

import django.db.models.deletion
from django.db import migrations, models


def fill_towns(apps, schema_editor):
    Town = apps.get_model("campaigns", "Town")
    TipOff = apps.get_model("inspections", "TipOff")
    Activity = apps.get_model("inspections", "Activity")
    Role = apps.get_model("accounts", "RoleAssignment")
    towns = list(Town.objects.values_list("pk", flat=True)[:2])
    if len(towns) == 1:
        TipOff.objects.update(town_id=towns[0])
        Activity.objects.update(town_id=towns[0])
        return
    for tipoff in TipOff.objects.select_related("village", "business__village"):
        place = tipoff.village or (tipoff.business.village if tipoff.business_id else None)
        if place is not None:
            TipOff.objects.filter(pk=tipoff.pk).update(town_id=place.town_id)
    for activity in Activity.objects.select_related("village", "department"):
        town = activity.village.town_id if activity.village_id else None
        if town is None:
            units = set(activity.businesses.values_list("village__town_id", flat=True))
            town = units.pop() if len(units) == 1 else None
        if town is None and activity.department_id:
            town = activity.department.town_id
        if town is None and activity.recorded_by_id:
            worked = set(
                Role.objects.filter(user_id=activity.recorded_by_id, town__isnull=False).values_list(
                    "town_id", flat=True
                )
            )
            town = worked.pop() if len(worked) == 1 else None
        if town is not None:
            Activity.objects.filter(pk=activity.pk).update(town_id=town)


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0012_o5_certifications'),
        ('inspections', '0016_holiday_checks'),
        ('accounts', '0004_role_town'),
    ]

    operations = [
        migrations.AddField(
            model_name='activity',
            name='town',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='campaigns.town', verbose_name='镇（街道）'),
        ),
        migrations.AddField(
            model_name='tipoff',
            name='town',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='tipoffs', to='campaigns.town', verbose_name='所在镇（街道）'),
        ),
        migrations.RunPython(fill_towns, migrations.RunPython.noop),
    ]
