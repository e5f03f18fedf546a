#!/usr/bin/env bash
# Debian packages Tandem's speech and vision need beside its Python packages. Idempotent: installs only what is
# missing, so `make` can call it every time.
#   espeak-ng         speech for languages without a voice in a Python package (all but English, German and
#                     Mandarin), and Mandarin text with Latin words in it
#   fonts-wqy-zenhei  CJK glyphs, to render the test posters in Chinese
#   wamerican, wngerman  English and German word lists: the privacy engine tells names from words with them
#   pocketsphinx-testdata  5 LibriVox recordings with transcripts (1.8 MB): human speech for bench/speech.py and
#                          tests/speech, so recognisers are not measured only on Tandem's own voices
set -euo pipefail
wanted=(espeak-ng fonts-wqy-zenhei wamerican wngerman pocketsphinx-testdata)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "error: not root and no sudo; install them by hand: apt-get install ${missing[*]}" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
