#!/usr/bin/env bash
# Runs deploy/nginx.conf, the very file docker-compose.yml mounts into its
# nginx container, on this machine in front of local Odoo nodes (no containers):
#   scripts/nginx.sh start NAME PORT NODE1_HTTP NODE1_CHAT [NODE2_HTTP NODE2_CHAT]
#   scripts/nginx.sh run   NAME PORT NODE1_HTTP NODE1_CHAT [NODE2_HTTP NODE2_CHAT]   (in the foreground)
#   scripts/nginx.sh stop  NAME
#   scripts/nginx.sh test  [NAME PORT NODE1_HTTP NODE1_CHAT [NODE2_HTTP NODE2_CHAT]]   (nginx -t)
# The rendering, .local/nginx/NAME.conf, is deploy/nginx.conf with the
# containers' upstreams replaced by loopback ones (odoo:8069 -> 127.0.0.1:
# NODE1_HTTP, odoo:8072 -> NODE1_CHAT, odoo2:... -> node 2, left out when no
# node 2 is given) and `listen 80` by `listen 127.0.0.1:PORT`, inside a main
# configuration of its own: pid, temporary files and logs under .local/nginx
# (NAME.pid, NAME.tmp/, NAME.access.log, NAME.error.log). nginx runs with -p
# and -c of its own and never reads /etc/nginx; the system's nginx service is
# neither needed nor touched. Everything listens on 127.0.0.1 only.
source "$(dirname "$0")/lib.sh"
NGINX_DIR="$LOCAL/nginx"
SITE="$ROOT/deploy/nginx.conf"

nginx_bin() {
    local candidate
    for candidate in "${NGINX:-}" nginx /usr/sbin/nginx; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" 2>/dev/null && return 0
    done
    die "nginx is not installed (scripts/setup.sh installs Debian's nginx)"
}

usage() {
    die "usage: scripts/nginx.sh start|run NAME PORT NODE1_HTTP NODE1_CHAT [NODE2_HTTP NODE2_CHAT]
       scripts/nginx.sh stop NAME
       scripts/nginx.sh test [NAME PORT NODE1_HTTP NODE1_CHAT [NODE2_HTTP NODE2_CHAT]]"
}

check_name() {
    [[ "$1" =~ ^[A-Za-z0-9_-]+$ ]] || die "nginx name '$1': letters, digits, '-' and '_' only"
}

check_port() {
    [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ] || die "'$1' is not a TCP port"
}

# render NAME PORT NODE1_HTTP NODE1_CHAT [NODE2_HTTP NODE2_CHAT]: writes
# .local/nginx/NAME.conf (NAME.check.conf when CHECK=1: nginx -t opens the
# pid file of what it checks, that of a running NAME must stay as it is).
render() {
    local name="$1" port="$2" http1="$3" chat1="$4" http2="${5:-}" chat2="${6:-}"
    check_name "$name"
    [ "${CHECK:-0}" = 1 ] && name="$name.check"
    for p in "$port" "$http1" "$chat1" ${http2:+"$http2"} ${chat2:+"$chat2"}; do check_port "$p"; done
    if [ -n "$http2" ] && [ -z "$chat2" ]; then usage; fi
    mkdir -p "$NGINX_DIR"
    local conf="$NGINX_DIR/$name.conf" site
    local node2="s#^\([[:space:]]*server[[:space:]]\+\)odoo2:8069\([[:space:];]\)#\1127.0.0.1:$http2\2#
s#^\([[:space:]]*server[[:space:]]\+\)odoo2:8072\([[:space:];]\)#\1127.0.0.1:$chat2\2#"
    # One node: its upstreams lose the second server.
    [ -n "$http2" ] || node2="/^[[:space:]]*server[[:space:]]\+odoo2:80\(69\|72\)[[:space:];]/d"
    site="$(sed -e "s#^\([[:space:]]*server[[:space:]]\+\)odoo:8069\([[:space:];]\)#\1127.0.0.1:$http1\2#" \
                -e "s#^\([[:space:]]*server[[:space:]]\+\)odoo:8072\([[:space:];]\)#\1127.0.0.1:$chat1\2#" \
                -e "$node2" \
                -e "s#^\([[:space:]]*\)listen[[:space:]]\+80;#\1listen 127.0.0.1:$port;#" "$SITE")"
    # deploy/nginx.conf changed shape: say so rather than serve something else.
    if grep -Eq '(^|[^.0-9A-Za-z])odoo2?:[0-9]+' <<<"$site"; then
        die "deploy/nginx.conf names an upstream this script does not replace: $(grep -E 'odoo2?:[0-9]+' <<<"$site" | head -1)"
    fi
    grep -Eq "^[[:space:]]*listen 127\.0\.0\.1:$port;" <<<"$site" \
        || die "deploy/nginx.conf has no 'listen 80;' line to put on 127.0.0.1:$port"
    if grep -E '^[[:space:]]*listen[[:space:]]' <<<"$site" | grep -vq "127\.0\.0\.1:$port;"; then
        die "deploy/nginx.conf listens on more than 127.0.0.1:$port"
    fi
    local tmp="$NGINX_DIR/$name.tmp"
    mkdir -p "$tmp"
    cat >"$conf.new" <<CONF
# Written by scripts/nginx.sh from deploy/nginx.conf; do not edit (edit
# deploy/nginx.conf, which docker-compose.yml mounts, and start it again).
worker_processes 1;
pid $NGINX_DIR/$name.pid;
error_log $NGINX_DIR/$name.error.log warn;
events {
    worker_connections 1024;
}
http {
    default_type application/octet-stream;
    access_log $NGINX_DIR/$name.access.log;
    client_body_temp_path $tmp/body;
    proxy_temp_path $tmp/proxy;
    fastcgi_temp_path $tmp/fastcgi;
    uwsgi_temp_path $tmp/uwsgi;
    scgi_temp_path $tmp/scgi;

    # --- deploy/nginx.conf ---
$site
}
CONF
    mv "$conf.new" "$conf"
}

# nginx_cmd NAME ARGS...: the nginx of NAME's rendering, prefix .local/nginx.
nginx_cmd() {
    local name="$1"; shift
    "$(nginx_bin)" -p "$NGINX_DIR/" -c "$NGINX_DIR/$name.conf" -e "$NGINX_DIR/$name.error.log" "$@"
}

stop_nginx() {
    local name="$1" pidfile="$NGINX_DIR/$1.pid"
    if pid_alive "$pidfile"; then
        say "Stopping nginx $name (pid $(cat "$pidfile"))"
        kill -TERM "$(cat "$pidfile")"
        for _i in $(seq 1 40); do pid_alive "$pidfile" || break; sleep 0.25; done
        pid_alive "$pidfile" && kill -9 "$(cat "$pidfile")"
    fi
    rm -f "$pidfile"
}

ACTION="${1:-}"
[ -n "$ACTION" ] || usage
shift
case "$ACTION" in
    start|run)
        [ $# = 4 ] || [ $# = 6 ] || usage
        stop_nginx "$1"
        render "$@"
        if [ "$ACTION" = run ]; then
            say "nginx $1 on http://127.0.0.1:$2 (deploy/nginx.conf), in the foreground"
            exec "$(nginx_bin)" -p "$NGINX_DIR/" -c "$NGINX_DIR/$1.conf" -e "$NGINX_DIR/$1.error.log" \
                -g "daemon off;"
        fi
        # The master binds the port and writes its pid before it returns.
        nginx_cmd "$1" || die "nginx $1 did not start (see $NGINX_DIR/$1.error.log)"
        for _i in $(seq 1 40); do pid_alive "$NGINX_DIR/$1.pid" && break; sleep 0.25; done
        pid_alive "$NGINX_DIR/$1.pid" || die "nginx $1 did not start (see $NGINX_DIR/$1.error.log)"
        say "nginx $1 on http://127.0.0.1:$2 (deploy/nginx.conf) in front of 127.0.0.1:$3${5:+ and 127.0.0.1:$5} (pid $(cat "$NGINX_DIR/$1.pid"))"
        ;;
    stop)
        [ $# = 1 ] || usage
        check_name "$1"
        stop_nginx "$1"
        ;;
    test)
        if [ $# = 0 ]; then
            # Two nodes on the ports of the production profile, nginx on
            # compose's published port; nothing needs to listen for nginx -t.
            set -- test 8080 8069 8072 8169 8172
        fi
        [ $# = 4 ] || [ $# = 6 ] || usage
        CHECK=1 render "$@"
        status=0
        nginx_cmd "$1.check" -t || status=$?
        rm -f "$NGINX_DIR/$1.check.pid"
        exit "$status"
        ;;
    *) usage ;;
esac
