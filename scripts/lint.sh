#!/usr/bin/env bash
# Lint the project's own Python with zero warnings allowed.
source "$(dirname "$0")/lib.sh"
say "Linting (flake8)"
cd "$ROOT"
"$PY" -m flake8 addons demo onec tests bench scripts/odoo-bin
