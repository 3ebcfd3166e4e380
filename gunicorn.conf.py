"""gunicorn settings read from the working directory (docker image and bare metal alike).

The access log leaves out query strings: a roster search by phone number (?q=138…) or a name must not
end up in the logs (issue 3: no personal data in logs).
"""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
