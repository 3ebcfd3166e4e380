"""Issue 24, town first: each role is held in a town. Roles with a village, a business or a town's own
department take its town; in an install with exactly one town every other town-level role (office,
leader, supervisor, a shared department) takes that town, so nothing changes for it. The city's roles
keep none."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


TOWN_WIDE = ("office", "leader", "supervisor", "department")


def fill_towns(apps, schema_editor):
    Role = apps.get_model("accounts", "RoleAssignment")
    Village = apps.get_model("campaigns", "Village")
    Business = apps.get_model("campaigns", "Business")
    Department = apps.get_model("campaigns", "Department")
    unset = Role.objects.filter(town__isnull=True)
    unset.filter(village__isnull=False).update(
        town_id=Subquery(Village.objects.filter(pk=OuterRef("village_id")).values("town_id")[:1])
    )
    unset.filter(business__isnull=False).update(
        town_id=Subquery(Business.objects.filter(pk=OuterRef("business_id")).values("village__town_id")[:1])
    )
    unset.filter(kind="department", department__town__isnull=False).update(
        town_id=Subquery(Department.objects.filter(pk=OuterRef("department_id")).values("town_id")[:1])
    )
    towns = list(apps.get_model("campaigns", "Town").objects.values_list("pk", flat=True)[:2])
    if len(towns) == 1:
        Role.objects.filter(kind__in=TOWN_WIDE, town__isnull=True).update(town_id=towns[0])


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_city_roles'),
        ('campaigns', '0011_town_tenancy'),
    ]

    operations = [
        migrations.AddField(
            model_name='roleassignment',
            name='town',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='campaigns.town', verbose_name='镇'),
        ),
        migrations.RunPython(fill_towns, migrations.RunPython.noop),
    ]
