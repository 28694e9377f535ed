#!/usr/bin/env bash
# Rebuilds brochure/icc/CMYK-FOGRA39L.icc, the CMYK profile of print-shop output, from the
# FOGRA39L characterization data (offset printing on coated paper, ISO 12647-2) that Debian's
# icc-profiles-free ships under the zlib licence, with ArgyllCMS's colprof (Debian: argyll).
# Total ink limited to 300 %, black generation "r" (ramp), a relative-colorimetric tuned
# gamut mapping. The result is ours to distribute; the profile is not needed to run this.
set -euo pipefail
data=/usr/share/color/icc/FOGRA39L.ti3
out=$(cd "$(dirname "$0")/../../brochure/icc" && pwd)/CMYK-FOGRA39L.icc
command -v colprof >/dev/null || { echo "needs ArgyllCMS: sudo apt-get install argyll icc-profiles-free"; exit 1; }
test -f "$data" || { echo "needs $data: sudo apt-get install icc-profiles-free"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$data" "$work/FOGRA39L.ti3"
(cd "$work" && colprof -qm -kr -l300 -L95 -A "brochure" \
  -M "FOGRA39L characterization (Fogra); built with ArgyllCMS colprof" \
  -D "brochure CMYK (FOGRA39L, coated, TAC 300%)" \
  -C "No copyright; made from FOGRA39L data (icc-profiles-free, zlib licence)" FOGRA39L)
cp "$work/FOGRA39L.icc" "$out"
echo "wrote $out"
