#!/bin/sh
# The compose `proxy` service: render the configuration (and a self-signed certificate if none), then run
# nginx in the foreground.
set -eu
conf=$(/etc/wuxiao/nginx/render.sh)
nginx -t -c "$conf" -q
exec nginx -c "$conf" -g 'daemon off;'
