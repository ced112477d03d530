#!/usr/bin/env bash
# Lint the project's own code with zero warnings allowed: flake8 on all of it,
# pylint-odoo (the Odoo checks of OCA's 11.0 CI) on the addons.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
say "Linting (flake8, pylint-odoo)"
"$PY" -m flake8 addons demo onec tests bench bridges scripts/odoo-bin
"$PY" -m pylint --rcfile=.pylintrc addons/*/
