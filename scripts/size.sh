#!/usr/bin/env bash
# Prints the size of the served bundle (wasm + js + css), raw and gzip -9.
# Run after `trunk build --release`.
set -euo pipefail
cd "$(dirname "$0")/.."

printf '%-10s %10s %10s\n' kind raw gzip
total_raw=0
total_gz=0
for kind in wasm js css; do
  raw=0
  gz=0
  for file in dist/*."$kind"; do
    [ -e "$file" ] || continue
    raw=$((raw + $(wc -c < "$file")))
    gz=$((gz + $(gzip -9c "$file" | wc -c)))
  done
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  printf '%-10s %10d %10d\n' "$kind" "$raw" "$gz"
done
printf '%-10s %10d %10d\n' total "$total_raw" "$total_gz"
