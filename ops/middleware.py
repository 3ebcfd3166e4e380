"""GET /healthz for the orchestrator, answered before the host check and the HTTPS redirect.

Docker's healthcheck asks gunicorn directly over plain HTTP at 127.0.0.1:8000 — a host that is not in
DJANGO_ALLOWED_HOSTS of a real site, on a scheme SecurityMiddleware would redirect. This middleware stands
first and answers that one path itself (the view says only ok/down for the database and the broker);
every other request goes through the whole stack as before.
"""

from campaigns.views.health import healthz

HEALTH_PATH = "/healthz"


class HealthProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH and request.method == "GET":
            return healthz(request)
        return self.get_response(request)
