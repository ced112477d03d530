#!/usr/bin/env bash
# Installs whatever is missing, idempotently: system packages (as root),
# Python 3.7 virtualenv with pinned requirements, pinned OCA addons, npm tools.
source "$(dirname "$0")/lib.sh"
mkdir -p "$LOCAL" "$RUN" "$LOG" "$DATA_DIR"

APT_PACKAGES="wkhtmltopdf chromium libldap2-dev libsasl2-dev fonts-dejavu-core poppler-utils docker-compose nginx"

need_apt() {
    local missing=""
    for p in $APT_PACKAGES; do
        dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
    [ -x "$PGBIN/initdb" ] || missing="$missing postgresql-15"
    command -v node >/dev/null 2>&1 || missing="$missing nodejs npm"
    echo "$missing"
}

install_system_packages() {
    local missing
    missing="$(need_apt)"
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" != 0 ]; then
        die "missing system packages:$missing
Install them with: sudo apt-get install$missing"
    fi
    say "Installing system packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >"$LOG/apt.log" 2>&1 \
        || { tail -20 "$LOG/apt.log"; die "apt-get install failed (see $LOG/apt.log)"; }
    # nginx is run by scripts/nginx.sh on loopback ports of its own: the
    # system service a Debian install may start on port 80 is not ours.
    if [[ "$missing" == *nginx* ]] && command -v systemctl >/dev/null 2>&1; then
        systemctl disable --now nginx >/dev/null 2>&1 || true
    fi
}

find_python37() {
    local c
    for c in "${PYTHON37:-}" python3.7 "$HOME/.pyenv/versions/3.7.16/bin/python3.7" \
             /root/.pyenv/versions/3.7.16/bin/python3.7; do
        [ -n "$c" ] || continue
        if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; assert sys.version_info[:2] == (3, 7)' 2>/dev/null; then
            command -v "$c"; return 0
        fi
    done
    if command -v pyenv >/dev/null 2>&1; then
        c="$(pyenv root)/versions/$(pyenv versions --bare 2>/dev/null | grep -E '^3\.7' | tail -1)/bin/python3.7"
        [ -x "$c" ] && { echo "$c"; return 0; }
    fi
    if command -v uv >/dev/null 2>&1; then
        c="$(uv python find 3.7 2>/dev/null || true)"
        [ -n "$c" ] && [ -x "$c" ] && { echo "$c"; return 0; }
    fi
    return 1
}

install_python() {
    local stamp="$VENV/.requirements.sha"
    local want
    want="$(cat "$ROOT"/requirements*.txt "$ROOT/constraints.txt" | sha1sum | cut -d' ' -f1)"
    if [ -x "$PY" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    local py37
    py37="$(find_python37)" || die "Python 3.7 was not found (Odoo 11 runs on 3.7 only).
Get it one of these ways, then run the command again:
  - pyenv:  pyenv install 3.7.16
  - uv:     uv python install 3.7
  - or set PYTHON37=/path/to/python3.7
  - or use the container route: docker-compose up (see README.md)"
    if [ ! -x "$PY" ]; then
        say "Creating the Python 3.7 virtualenv in .venv ($py37)"
        "$py37" -m venv "$VENV"
    fi
    say "Installing the pinned Python packages into .venv (log: .local/log/pip.log)"
    "$PY" -m pip install --disable-pip-version-check -c "$ROOT/constraints.txt" \
        -r "$ROOT/requirements.txt" -r "$ROOT/requirements-dev.txt" >"$LOG/pip.log" 2>&1 \
        || { grep -v "is ignored" "$LOG/pip.log" | tail -20; die "pip install failed (see $LOG/pip.log)"; }
    "$PY" -m pip install --disable-pip-version-check --no-deps -r "$ROOT/requirements-oca.txt" >>"$LOG/pip.log" 2>&1 \
        || { grep -v "is ignored" "$LOG/pip.log" | tail -20; die "pip install of the OCA addons failed"; }
    echo "$want" >"$stamp"
}

install_node_tools() {
    local stamp="$ROOT/node_modules/.package.sha"
    local want
    want="$(sha1sum "$ROOT/package.json" | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    say "Installing lessc and playwright-core into node_modules"
    (cd "$ROOT" && npm install --no-audit --no-fund --loglevel=error >"$LOG/npm.log" 2>&1) \
        || { tail -20 "$LOG/npm.log"; die "npm install failed"; }
    echo "$want" >"$stamp"
}

install_system_packages
install_python
install_node_tools
