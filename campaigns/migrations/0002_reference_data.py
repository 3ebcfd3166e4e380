"""Reference data of DOMAIN §1 (categories, departments), §5 (the campaign's phases) and §7 (licences).

Editable afterwards in the admin; this migration only creates what is missing.
"""

import datetime

from django.db import migrations

DEPARTMENTS = [
    # code, name, short name, level, leads unlicensed
    ("agri_office", "镇农业办", "农业办", "town", False),
    ("tech_supervision", "镇技术监督站", "技监站", "town", False),
    ("aic", "工商分局", "工商分局", "town", False),
    ("economy", "镇经贸办", "经贸办", "town", False),
    ("health", "卫生监管部门", "卫生监管", "town", False),
    ("enforcement", "城市综合执法分局", "综合执法", "town", True),
    ("city_quality", "市质监局", "市质监局", "city", False),
    ("city_drug", "市药监局", "市药监局", "city", False),
]

CATEGORIES = [
    # code, name, short name, lead, helpers, sub-types (code, name)
    ("agri", "小农资店", "农资店", "agri_office", [], [
        ("pesticide", "农药"), ("fertilizer", "化肥"), ("seed", "种子"), ("vet_drug", "兽药"),
        ("feed", "饲料"), ("wholesale", "批发"),
    ]),
    ("workshop", "小作坊", "作坊", "tech_supervision", ["city_quality"], [
        ("soy", "豆制品"), ("pastry", "糕点"), ("hefen", "河粉"), ("rice_noodle", "米粉"),
        ("dried_noodle", "挂面"), ("aquatic", "水产品"), ("condiment", "调味品"),
    ]),
    ("grocery", "小食杂店", "食杂店", "aic", [], [("in_market", "集贸市场内"), ("town_centre", "镇中心区")]),
    ("pharmacy", "小药店", "药店", "economy", ["city_drug"], [("retail", "药品零售企业")]),
    ("restaurant", "小餐饮店", "餐饮店", "health", [], []),
    ("slaughter", "镇中心屠宰场", "屠宰场", "economy", [], [("pig", "生猪定点屠宰")]),
]

LICENCE_TYPES = [
    ("business", "营业执照", "工商行政管理部门"),
    ("hygiene", "卫生许可证", "卫生监督部门"),
    ("quality_commitment", "质量承诺书", "镇技术监督站"),
    ("food_production", "食品生产许可证", "市质监局"),
    ("food_circulation", "食品流通许可证", "工商行政管理部门"),
    ("catering", "餐饮服务许可证", "卫生监督部门"),
    ("drug_trade", "药品经营许可证", "市药监局"),
    ("gsp", "GSP证书", "市药监局"),
    ("pesticide", "农药经营许可证", "农业部门"),
    ("seed", "种子经营许可证", "农业部门"),
    ("vet_drug", "兽药经营许可证", "农业部门"),
    ("slaughter", "生猪定点屠宰证", "商务部门"),
    ("animal_epidemic", "动物防疫条件合格证", "畜牧兽医部门"),
]

# DOMAIN §7: category -> [(licence type, sub-type or None)]
REQUIREMENTS = {
    "agri": [("business", None), ("pesticide", "pesticide"), ("seed", "seed"), ("vet_drug", "vet_drug")],
    "workshop": [("business", None), ("hygiene", None), ("quality_commitment", None)],
    "grocery": [("business", None), ("food_circulation", None)],
    "pharmacy": [("business", None), ("drug_trade", None), ("gsp", None)],
    "restaurant": [("business", None), ("hygiene", None)],
    "slaughter": [("business", None), ("slaughter", None), ("animal_epidemic", None)],
}

CAMPAIGN = "五小经营单位产品质量和食品安全专项整治"
PHASES = [
    ("P1", "整改实施阶段", datetime.date(2009, 1, 1), datetime.date(2009, 6, 30),
     "对照整治标准开展检查，督促经营单位整改到位。"),
    ("P2", "总结验收阶段", datetime.date(2009, 7, 1), datetime.date(2009, 8, 31),
     "逐级验收（镇验收村、领导小组验收牵头部门）；领导小组办公室暗访；对各类经营单位随机抽查；"
     "表彰先进，通报批评措施不力、效果不好的部门和村（社区）。"),
]


def forwards(apps, schema_editor):
    Department = apps.get_model("campaigns", "Department")
    Category = apps.get_model("campaigns", "Category")
    SubType = apps.get_model("campaigns", "SubType")
    LicenceType = apps.get_model("campaigns", "LicenceType")
    LicenceRequirement = apps.get_model("campaigns", "LicenceRequirement")
    Campaign = apps.get_model("campaigns", "Campaign")
    Phase = apps.get_model("campaigns", "Phase")

    departments = {}
    for code, name, short, level, unlicensed in DEPARTMENTS:
        departments[code], _ = Department.objects.get_or_create(
            code=code, defaults={"name": name, "short_name": short, "level": level, "leads_unlicensed": unlicensed}
        )
    types = {}
    for code, name, issuer in LICENCE_TYPES:
        types[code], _ = LicenceType.objects.get_or_create(code=code, defaults={"name": name, "issuer": issuer})
    for order, (code, name, short, lead, helpers, subtypes) in enumerate(CATEGORIES, start=1):
        category, _ = Category.objects.get_or_create(
            code=code,
            defaults={"name": name, "short_name": short, "lead_department": departments[lead], "order": order},
        )
        category.helper_departments.add(*[departments[h] for h in helpers])
        subs = {}
        for st_code, st_name in subtypes:
            subs[st_code], _ = SubType.objects.get_or_create(category=category, code=st_code, defaults={"name": st_name})
        for type_code, st_code in REQUIREMENTS[code]:
            LicenceRequirement.objects.get_or_create(
                category=category, subtype=subs.get(st_code) if st_code else None, licence_type=types[type_code]
            )
    if not Campaign.objects.exists():
        campaign = Campaign.objects.create(
            name=CAMPAIGN, starts_on=PHASES[0][2], ends_on=PHASES[-1][3], is_current=True
        )
        for code, name, start, end, description in PHASES:
            Phase.objects.create(
                campaign=campaign, code=code, name=name, starts_on=start, ends_on=end, description=description
            )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
