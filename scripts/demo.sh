#!/usr/bin/env bash
# The main job on the project's own example corpus (examples/corpus): compare, archive, stories.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate
mkdir -p out
echo "== compare: the wire story and its heavy paraphrase"
retold compare examples/corpus/wire.txt examples/corpus/heavy.txt
retold compare examples/corpus/wire.txt examples/corpus/heavy.txt --format html -o out/wire-heavy.html
echo "== batch compare of examples/pairs.tsv -> out/pairs.jsonl"
retold compare --pairs examples/pairs.tsv -o out/pairs.jsonl
python - <<'PY'
import json
for line in open("out/pairs.jsonl", encoding="utf-8"):
    r = json.loads(line)
    print(f"  {r['a_path']:>10} vs {r['b_path']:<16} {r['relation']:<18} {r['kind'] or '-':<9} source={r['source']}")
PY
echo "== archive: index the example corpus into out/example.db (SQLite)"
rm -f out/example.db
retold index examples/corpus --db out/example.db
echo "== query: what does the heavy paraphrase reuse?"
retold query examples/corpus/heavy.txt --db out/example.db
echo "== stories"
retold stories --db out/example.db
retold stories --db out/example.db --format html -o out/stories.html --pages out/pairs
echo "Wrote out/wire-heavy.html, out/pairs.jsonl, out/example.db, out/stories.html (+ out/pairs/)"
