#!/usr/bin/env bash
# Set up, then run every check CI runs: lint, types, layer contract, tests (with quality gates
# that read ../shared/data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate
ruff check src tests benchmarks
ruff format --check src tests benchmarks
mypy
lint-imports
python -m pytest -q "$@"
