"""The Celery application; configuration comes from Django settings (CELERY_*)."""

import os

from celery import Celery

from . import broker  # noqa: F401  (registers the wuxiaofs:// transport)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuxiao.settings")

app = Celery("wuxiao")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["lib"], related_name="pdf")  # lib.pdf.convert_stored: documents' PDFs (issue 17)


def _ensure_broker_folders() -> None:
    """The filesystem transport needs its folders to exist before a worker or a producer touches them."""
    from django.conf import settings

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if key in options:
            os.makedirs(options[key], exist_ok=True)


app.on_after_configure.connect(lambda sender, **kwargs: _ensure_broker_folders(), weak=False)
