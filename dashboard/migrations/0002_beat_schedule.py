"""Write the dashboard's periodic tasks (dashboard/schedule.py) to django-celery-beat."""

from django.db import migrations


def forwards(apps, schema_editor):
    from dashboard.schedule import SCHEDULE
    from lib.schedule import write_schedule

    write_schedule(apps.get_model, SCHEDULE)


def backwards(apps, schema_editor):
    from dashboard.schedule import SCHEDULE

    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[item.name for item in SCHEDULE]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
