"""Today's licence names (DOMAIN §8) and which old and new names meet the same requirement (issue 16).

Existing installs get the new types (found by name first, so a type an office already added by hand is
reused) and the equivalences; the requirements of §7 stay as they are: a licence under either name counts.
"""

from django.db import migrations, models

NEW_TYPES = [
    ("food_business", "食品经营许可证", "市场监督管理部门"),
    ("food_filing", "食品经营备案", "市场监督管理部门"),
    ("workshop_registration", "食品小作坊登记证", "市场监督管理部门"),
    ("small_catering", "小餐饮登记证", "市场监督管理部门"),
]

# Pairs of codes: a licence of either type meets a requirement of the other (not transitive).
EQUIVALENTS = [
    # 食品经营许可证 (2015) replaced 食品流通许可证 and 餐饮服务许可证 (which had replaced the 卫生许可证).
    ("food_circulation", "food_business"),
    ("catering", "food_business"),
    ("hygiene", "catering"),
    ("hygiene", "food_business"),
    # Since 2023 a shop selling only pre-packaged food files a 备案 instead of holding a licence.
    ("food_circulation", "food_filing"),
    ("food_business", "food_filing"),
    # Provincial registrations of small restaurants and workshops.
    ("hygiene", "small_catering"),
    ("catering", "small_catering"),
    ("hygiene", "workshop_registration"),
    ("food_production", "workshop_registration"),
]


def forwards(apps, schema_editor):
    LicenceType = apps.get_model("campaigns", "LicenceType")
    for code, name, issuer in NEW_TYPES:
        if not LicenceType.objects.filter(name=name).exists():
            LicenceType.objects.get_or_create(code=code, defaults={"name": name, "issuer": issuer})
    by_code = {lt.code: lt for lt in LicenceType.objects.all()}
    by_name = {lt.name: lt for lt in by_code.values()}
    for code, name, _issuer in NEW_TYPES:
        by_code.setdefault(code, by_name[name])
    for a, b in EQUIVALENTS:
        if a in by_code and b in by_code:
            by_code[a].equivalents.add(by_code[b])  # symmetrical: both directions are stored


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0004_search_trigram_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="licencetype",
            name="equivalents",
            field=models.ManyToManyField(
                blank=True,
                help_text="旧名称与现行名称互相替代：持有其中任一种，即满足要求其中另一种的证照要求。",
                to="campaigns.licencetype",
                verbose_name="新旧名称（满足同一证照要求）",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
