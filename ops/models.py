from django.db import models


class Heartbeat(models.Model):
    """One row per periodic heartbeat (name "beat"): moved each minute by a task that beat schedules.

    The beat container's healthcheck (`python manage.py beat_alive`) fails when the row is older than a few
    minutes: beat stopped sending, or no worker ran what it sent.
    """

    name = models.CharField("名称", max_length=40, primary_key=True)
    at = models.DateTimeField("最近一次")

    class Meta:
        verbose_name = "心跳"
        verbose_name_plural = "心跳"

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
