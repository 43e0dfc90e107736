#!/usr/bin/env bash
# A Python virtual environment for Parley's tooling (reference fixtures, peers in benchmarks),
# under target/ so that it never enters the repository. Nothing on the serving path uses it.
#   tools/python-env.sh                 create it (once) and print its python
#   tools/python-env.sh run SCRIPT ...  run a script with it
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/target/python-venv"
PACKAGES=(faster-whisper==1.2.1 ctranslate2==4.8.5 numpy)
if [ ! -x "$VENV/bin/python" ]; then
  echo "tools: creating $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "${PACKAGES[@]}" >&2
fi
if [ "${1:-}" = run ]; then
  shift
  cd "$ROOT"
  exec "$VENV/bin/python" "$@"
fi
echo "$VENV/bin/python"
