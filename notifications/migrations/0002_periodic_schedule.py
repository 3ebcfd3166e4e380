"""Writes the periodic tasks declared in notifications/schedule.py to django-celery-beat (Asia/Shanghai).

Idempotent: `python manage.py sync_schedule` writes the same rows again after a change to the schedule.
"""

from django.db import migrations


def write(apps, schema_editor):
    from lib.schedule import write_schedule
    from notifications.schedule import SCHEDULE

    write_schedule(apps.get_model, SCHEDULE)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(write, migrations.RunPython.noop)]
