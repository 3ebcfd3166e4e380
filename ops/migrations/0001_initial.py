from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Heartbeat",
            fields=[
                ("name", models.CharField(max_length=40, primary_key=True, serialize=False, verbose_name="名称")),
                ("at", models.DateTimeField(verbose_name="最近一次")),
            ],
            options={"verbose_name": "心跳", "verbose_name_plural": "心跳"},
        ),
    ]
