"""Seed the banned-product list with A4's five pesticides (农业部公告第322号: banned from 2007-01-01)."""

import datetime
import unicodedata

from django.db import migrations

BASIS = "农业部公告第322号：自2007年1月1日起全面禁止在国内销售和使用"
FIVE = [
    ("甲胺磷", "多灭磷、脱麦隆、克副虫、达马松、Tamaron、methamidophos"),
    ("对硫磷", "1605、乙基1605、一六〇五、乙基对硫磷、parathion"),
    ("甲基对硫磷", "甲基1605、甲基一六〇五、methyl parathion"),
    ("久效磷", "纽瓦克、亚素灵、铃杀、Azodrin、monocrotophos"),
    ("磷胺", "大灭虫、迪莫克、Dimecron、phosphamidon"),
]


def _key(value):
    # The same normalisation as ledgers.text.name_key, frozen here as migrations must not drift.
    text = unicodedata.normalize("NFKC", value).lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in ("L", "N"))


def seed(apps, schema_editor):
    BannedProduct = apps.get_model("ledgers", "BannedProduct")
    for name, aliases in FIVE:
        BannedProduct.objects.update_or_create(
            name=name,
            defaults={
                "name_key": _key(name),
                "kind": "pesticide",
                "aliases": aliases,
                "basis": BASIS,
                "effective_from": datetime.date(2007, 1, 1),
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("ledgers", "BannedProduct").objects.filter(name__in=[n for n, _ in FIVE]).delete()


class Migration(migrations.Migration):
    dependencies = [("ledgers", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
