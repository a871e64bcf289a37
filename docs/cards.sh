#!/usr/bin/env bash
# Make docs/cards.jpg: the title card and the "next episode" card of episode 1 in four scripts,
# from `make demo`'s sample (demo-out/). Usage: bash docs/cards.sh   (from the checkout's root)
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ffmpeg -v error -i demo-out/sample/sample.mp4 -t 24 -c copy "$work/m.mp4"
.venv/bin/vidpack plan "$work/m.mp4" --min 10 --max 14 -o "$work/plan.json" \
  > /dev/null 2> "$work/plan.log" || { cat "$work/plan.log"; exit 1; }
tiles=()
for lang in en ar ko zh-Hans; do
  .venv/bin/vidpack split "$work/m.mp4" --plan "$work/plan.json" \
    --preset demo-out/presets/tiktok.toml --subs "$lang=demo-out/sample/sample.$lang.srt" \
    --cards both --title "Sample Series" --speed ultrafast --progress none -o "$work/$lang" \
    > /dev/null 2> "$work/$lang.log" || { cat "$work/$lang.log"; exit 1; }
  ep=$(ls "$work/$lang"/*E001.mp4)
  end=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$ep")
  ffmpeg -v error -ss 1.0 -i "$ep" -frames:v 1 -vf scale=240:-2 "$work/$lang-title.png"
  ffmpeg -v error -ss "$(awk -v d="$end" 'BEGIN { print d - 1.0 }')" -i "$ep" -frames:v 1 -vf scale=240:-2 \
    "$work/$lang-next.png"
  tiles+=("$work/$lang-title.png" "$work/$lang-next.png")
done
inputs=(); for t in "${tiles[@]}"; do inputs+=(-i "$t"); done
ffmpeg -v error -y "${inputs[@]}" -filter_complex "hstack=inputs=${#tiles[@]}" -q:v 3 docs/cards.jpg
echo "docs/cards.jpg: ${#tiles[@]} frames (title, next) for en, ar, ko, zh-Hans"
