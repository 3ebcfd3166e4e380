"""D5: groceries (supermarkets, general stores, 士多店) in the industrial zone are where drugs are sold
without a licence; a sub-type marks them so lists and spot-check draws can target them."""

from django.db import migrations


def create(apps, schema_editor):
    Category = apps.get_model("campaigns", "Category")
    SubType = apps.get_model("campaigns", "SubType")
    grocery = Category.objects.filter(code="grocery").first()
    if grocery is not None:
        SubType.objects.get_or_create(category=grocery, code="industrial_zone", defaults={"name": "工业区"})


def drop(apps, schema_editor):
    SubType = apps.get_model("campaigns", "SubType")
    SubType.objects.filter(category__code="grocery", code="industrial_zone", businesses__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0006_help_sites_green_channel_goals_models")]

    operations = [migrations.RunPython(create, drop)]
