#!/bin/sh
# Writes wuxiao's nginx configuration from nginx.conf.template and, when the TLS folder has no certificate,
# a self-signed one for trying the stack out. Prints the path of the written nginx.conf.
# Used by the compose `proxy` service (start.sh) and by CI's production smoke test, so both run the same file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)

: "${WUXIAO_SERVER_NAME:=localhost}"
: "${WUXIAO_UPSTREAM:=web:8000}"
: "${WUXIAO_STATIC_ROOT:=/srv/wuxiao/static}"
: "${WUXIAO_TLS_DIR:=/etc/wuxiao/tls}"
: "${WUXIAO_HTTP_PORT:=80}"
: "${WUXIAO_HTTPS_PORT:=443}"
: "${WUXIAO_LISTEN_ADDRESS:=}"
: "${WUXIAO_BODY_MAX_MB:=32}"
: "${WUXIAO_NGINX_USER:=www-data}"
: "${WUXIAO_NGINX_PREFIX:=/run/wuxiao-nginx}"
: "${WUXIAO_ACME_ROOT:=/var/www/acme}"

prefix=$WUXIAO_NGINX_PREFIX
mkdir -p "$prefix" "$WUXIAO_TLS_DIR" "$WUXIAO_ACME_ROOT"

if [ ! -s "$WUXIAO_TLS_DIR/fullchain.pem" ] || [ ! -s "$WUXIAO_TLS_DIR/privkey.pem" ]; then
  echo "no certificate in $WUXIAO_TLS_DIR: writing a self-signed one for $WUXIAO_SERVER_NAME (for trying it out only)" >&2
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=$WUXIAO_SERVER_NAME" \
    -addext "subjectAltName=DNS:$WUXIAO_SERVER_NAME" \
    -keyout "$WUXIAO_TLS_DIR/privkey.pem" -out "$WUXIAO_TLS_DIR/fullchain.pem" 2>/dev/null
  chmod 600 "$WUXIAO_TLS_DIR/privkey.pem"
fi

listen() { if [ -n "$WUXIAO_LISTEN_ADDRESS" ]; then echo "$WUXIAO_LISTEN_ADDRESS:$1"; else echo "$1"; fi; }
if [ "$WUXIAO_HTTPS_PORT" = 443 ]; then suffix=""; else suffix=":$WUXIAO_HTTPS_PORT"; fi

sed -e "s|@NGINX_USER@|$WUXIAO_NGINX_USER|g" \
    -e "s|@PREFIX@|$prefix|g" \
    -e "s|@BODY_MAX_MB@|$WUXIAO_BODY_MAX_MB|g" \
    -e "s|@UPSTREAM@|$WUXIAO_UPSTREAM|g" \
    -e "s|@HTTP_LISTEN@|$(listen "$WUXIAO_HTTP_PORT")|g" \
    -e "s|@HTTPS_LISTEN@|$(listen "$WUXIAO_HTTPS_PORT")|g" \
    -e "s|@HTTPS_PORT_SUFFIX@|$suffix|g" \
    -e "s|@SERVER_NAME@|$WUXIAO_SERVER_NAME|g" \
    -e "s|@TLS_DIR@|$WUXIAO_TLS_DIR|g" \
    -e "s|@STATIC_ROOT@|$WUXIAO_STATIC_ROOT|g" \
    -e "s|@ACME_ROOT@|$WUXIAO_ACME_ROOT|g" \
    "$here/nginx.conf.template" > "$prefix/nginx.conf"
if grep -q '@[A-Z_]*@' "$prefix/nginx.conf"; then
  echo "unrendered placeholder in $prefix/nginx.conf" >&2
  exit 1
fi
echo "$prefix/nginx.conf"
