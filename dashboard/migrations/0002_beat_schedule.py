"""Write the dashboard's periodic tasks (dashboard/schedule.py) to django-celery-beat."""

from django.db import migrations


def forwards(apps, schema_editor):
    from dashboard import schedule

    schedule.install(
        apps.get_model("django_celery_beat", "CrontabSchedule"), apps.get_model("django_celery_beat", "PeriodicTask")
    )


def backwards(apps, schema_editor):
    from dashboard import schedule

    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[name for name, *_ in schedule.SCHEDULE]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
