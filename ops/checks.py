"""`check --deploy` refuses a signing key that must not run a site (the .env.example value, a short one).

With DEBUG off the settings already refuse to start (wuxiao.env.production_secret_key); this check also
catches a .env that still has DEBUG on while being checked for deployment.
"""

from django.conf import settings
from django.core.checks import Error, register

from wuxiao.env import secret_key_problem


@register(deploy=True)
def secret_key_check(app_configs, **kwargs):
    problem = secret_key_problem(settings.SECRET_KEY)
    return [Error(problem, id="ops.E001")] if problem else []
