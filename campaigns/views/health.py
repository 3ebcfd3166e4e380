"""GET /healthz: is the database answering, and can the broker be reached."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wuxiao.celery import app as celery_app


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"db": "down", "broker": "ok" if _broker_ok() else "down"}, status=503)
    return JsonResponse({"db": "ok", "broker": "ok" if _broker_ok() else "down"})
