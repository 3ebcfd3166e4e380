"""gunicorn settings read from the working directory (docker image and bare metal alike).

The access log leaves out query strings: a roster search by phone number (?q=138…) or a name must not
end up in the logs (issue 3: no personal data in logs).
"""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'

# The master reads the settings once before forking: a configuration error (a missing or example
# DJANGO_SECRET_KEY …) stops gunicorn with its one-line message instead of workers failing to boot in a loop.
import os  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wuxiao.settings")
from django.conf import settings  # noqa: E402

settings.SECRET_KEY  # noqa: B018
