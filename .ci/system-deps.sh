#!/usr/bin/env bash
# Installs what vidpack needs from Debian when it is missing: Python with venv, ffmpeg (with
# libass), espeak-ng (speech in generated test masters), the Noto fonts for Latin, CJK, Arabic
# and Thai, and Chromium (report tests). Called by `make demo` and `make test`; quiet when all is there.
set -euo pipefail

packages=()
have() { command -v "$1" >/dev/null 2>&1; }
have python3 && python3 -c 'import venv, ensurepip' 2>/dev/null || packages+=(python3 python3-venv python3-pip)
have ffmpeg && have ffprobe || packages+=(ffmpeg)
have espeak-ng || packages+=(espeak-ng)
have fc-list || packages+=(fontconfig)
have chromium || packages+=(chromium)
if have fc-list; then
  fc-list :lang=ar | grep -q . || packages+=(fonts-noto-core)
  fc-list :lang=th | grep -q . || packages+=(fonts-noto-core)
  fc-list :lang=zh-cn | grep -q . || packages+=(fonts-noto-cjk)
else
  packages+=(fonts-noto-core fonts-noto-cjk)
fi
[ ${#packages[@]} -eq 0 ] && exit 0

# de-duplicate
mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)
if [ "$(id -u)" -ne 0 ] || ! have apt-get; then
  echo "vidpack needs these Debian packages: ${packages[*]}" >&2
  echo "install them (e.g. 'sudo apt-get install ${packages[*]}') and run make again" >&2
  exit 1
fi
echo "installing from Debian: ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
