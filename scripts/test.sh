#!/usr/bin/env bash
# Set up, then run every check CI runs: lint, format, types, layer contract, tests (with quality
# gates that read ../shared/data). Every check runs even when an earlier one fails; the script
# ends with one line per check and exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "setup failed" >&2; exit 1; }
# shellcheck disable=SC1091
. .venv/bin/activate

failed=()
summary=()
check() {
  local name=$1
  shift
  echo "== $name: $*"
  if "$@"; then
    summary+=("ok      $name")
  else
    summary+=("FAILED  $name (exit $?)")
    failed+=("$name")
  fi
}

check "ruff check" ruff check src tests benchmarks
check "ruff format" ruff format --check src tests benchmarks
check "mypy" mypy
check "import-linter" lint-imports
check "pytest" python -m pytest -q "$@"

echo
echo "== summary"
printf '  %s\n' "${summary[@]}"
if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "all checks passed"
