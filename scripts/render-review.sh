#!/usr/bin/env bash
# scripts/render-review.sh [DIR]: the review comment as a reviewer sees it, from real plans.
#
# 1. Renders the comments of __tests__/review/render.test.ts — plans the real engine made against the emulators —
#    into DIR (default .review-preview/, gitignored) as Markdown: sample.md (the README's sample comment: two stacks,
#    prod's label changed and `activate: true` after an admin validated it), first-plan.md (both stacks' first plan),
#    and one file per single-stack scenario (create, update, replace, activation, guardOff, destroy, …).
# 2. Converts each to GitHub-styled HTML (scripts/review-preview.js).
# 3. With Chromium installed (CHROMIUM=path, default `chromium`), screenshots sample and first-plan as GitHub shows
#    them (*.png) and with every fold open (*-expanded.png).
#
# Needs the engine (scripts/with-engine.sh provisions it); prints what it wrote.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/.review-preview}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$root"

rm -f "$out"/*.md "$out"/*.html "$out"/*.png
QLIK_OKTA_REVIEW_DUMP="$out" bash scripts/with-engine.sh npx jest __tests__/review/render.test.ts >&2 ||
  echo "render-review: some render tests failed (above); the comments were written all the same" >&2
[ -s "$out/sample.md" ] || { echo "render-review: no sample.md in $out (did the engine tests skip?)" >&2; exit 1; }

for md in "$out"/*.md; do
  node scripts/review-preview.js html "$md" "${md%.md}.html"
done

chromium="${CHROMIUM:-chromium}"
if command -v "$chromium" >/dev/null 2>&1; then
  for name in sample first-plan; do
    CHROMIUM="$chromium" node --experimental-websocket scripts/review-preview.js screenshot "$out/$name.html" "$out/$name.png"
    CHROMIUM="$chromium" node --experimental-websocket scripts/review-preview.js screenshot "$out/$name.html" "$out/$name-expanded.png" --expand
  done
else
  echo "render-review: no $chromium: HTML only (apt-get install chromium, or CHROMIUM=/path/to/chrome)" >&2
fi
ls -1 "$out"
