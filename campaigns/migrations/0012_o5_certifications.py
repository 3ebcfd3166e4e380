"""O5: which department issues each licence type, and who recorded a licence (a city bureau's own
certifications and revocations).

Fills the issuing departments of the seeded types (0002, 0005) where a seeded department issues them, and
adds 工业产品生产许可证 (issued by 市质监局). Only what is missing is created; an office's own edits stay.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


NEW_TYPES = [("industrial_production", "工业产品生产许可证", "市质监局")]

# licence type code -> the codes of the departments that issue it (DOMAIN §7, §8; seeded in 0002).
ISSUERS = {
    "business": ["aic"],
    "food_circulation": ["aic"],
    "hygiene": ["health"],
    "catering": ["health"],
    "quality_commitment": ["tech_supervision"],
    "pesticide": ["agri_office"],
    "seed": ["agri_office"],
    "vet_drug": ["agri_office"],
    "slaughter": ["economy"],
    # The city bureaus (O5): 市药监局 the pharmacies' papers, 市质监局 the producers'.
    "drug_trade": ["city_drug"],
    "gsp": ["city_drug"],
    "food_production": ["city_quality"],
    "workshop_registration": ["city_quality"],
    "industrial_production": ["city_quality"],
}


def forwards(apps, schema_editor):
    LicenceType = apps.get_model("campaigns", "LicenceType")
    Department = apps.get_model("campaigns", "Department")
    for code, name, issuer in NEW_TYPES:
        if not LicenceType.objects.filter(name=name).exists():
            LicenceType.objects.get_or_create(code=code, defaults={"name": name, "issuer": issuer})
    departments = {d.code: d for d in Department.objects.all()}
    for licence_type in LicenceType.objects.filter(code__in=ISSUERS):
        if licence_type.issuing_departments.exists():
            continue  # set by hand already
        found = [departments[c] for c in ISSUERS[licence_type.code] if c in departments]
        licence_type.issuing_departments.add(*found)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0011_town_tenancy"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="licence",
            name="certified_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="certified_licences",
                to="campaigns.department",
                verbose_name="发证登记部门",
            ),
        ),
        migrations.AddField(
            model_name="licence",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="登记人",
            ),
        ),
        migrations.AddField(
            model_name="licence",
            name="revoked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="revoked_licences",
                to="campaigns.department",
                verbose_name="吊销登记部门",
            ),
        ),
        migrations.AddField(
            model_name="licencetype",
            name="issuing_departments",
            field=models.ManyToManyField(
                blank=True,
                help_text="核发、吊销此类证照的部门；市级部门只能登记本部门核发的证照。",
                related_name="issued_licence_types",
                to="campaigns.department",
                verbose_name="发证部门",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
