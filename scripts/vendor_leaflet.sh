#!/usr/bin/env bash
# Vendors Leaflet and Leaflet.markercluster into relais/web/static/vendor/ (docs/adr/0018-interactive-map.md).
#
# Fetches the pinned tarballs with `npm pack` (the npm registry, at vendoring time only: the site never
# loads anything from a CDN), checks each tarball against the pinned sha512 integrity and sha256, keeps
# only the files the pages load (the minified script, the style sheets it needs, the images they name,
# the source maps the scripts name, the licence) and writes SOURCE.md beside them with every file's sha256.
#
#   bash scripts/vendor_leaflet.sh          # (re)write the vendored files
#   bash scripts/vendor_leaflet.sh --check  # fetch, verify, and fail if the committed files differ
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-write}
case "$mode" in write | --check) ;; *)
  echo "usage: bash scripts/vendor_leaflet.sh [--check]" >&2
  exit 2
  ;;
esac

DEST=relais/web/static/vendor
# package|version|sha512 integrity (as npm publishes it)|sha256 of the tarball|target folder
PACKAGES=(
  "leaflet|1.9.4|sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==|84c65a256e50657896f54c33bd857b6849ebe94c817803be818bf32a3dde0b77|leaflet"
  "leaflet.markercluster|1.5.3|sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA==|fc6b0b1d00b6c708ae54e43ee4a11ac345e41660e19f0a570190bb35babb1a1c|leaflet.markercluster"
)
# files kept, relative to the package root -> name in the target folder
declare -A KEEP=(
  [leaflet]="LICENSE:LICENSE dist/leaflet.js:leaflet.js dist/leaflet.js.map:leaflet.js.map dist/leaflet.css:leaflet.css dist/images/layers.png:images/layers.png dist/images/layers-2x.png:images/layers-2x.png dist/images/marker-icon.png:images/marker-icon.png dist/images/marker-icon-2x.png:images/marker-icon-2x.png dist/images/marker-shadow.png:images/marker-shadow.png"
  [leaflet.markercluster]="MIT-LICENCE.txt:LICENSE dist/leaflet.markercluster.js:leaflet.markercluster.js dist/leaflet.markercluster.js.map:leaflet.markercluster.js.map dist/MarkerCluster.css:MarkerCluster.css"
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r name version integrity sha256 folder <<<"$entry"
  (cd "$work" && npm pack --silent "$name@$version" >/dev/null)
  tarball="$work/$name-$version.tgz"
  got512="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  got256=$(sha256sum "$tarball" | cut -d' ' -f1)
  if [ "$got512" != "$integrity" ] || [ "$got256" != "$sha256" ]; then
    echo "$name $version: the tarball does not match the pinned checksums" >&2
    exit 1
  fi
  mkdir -p "$work/$name"
  tar xzf "$tarball" -C "$work/$name"
  staged="$work/staged/$folder"
  mkdir -p "$staged"
  for pair in ${KEEP[$folder]}; do
    install -m 0644 -D "$work/$name/package/${pair%%:*}" "$staged/${pair#*:}"
  done
  {
    echo "# $name $version (vendored)"
    echo
    echo "Written by \`scripts/vendor_leaflet.sh\`; do not edit by hand. Re-fetch and compare with"
    echo "\`bash scripts/vendor_leaflet.sh --check\`."
    echo
    echo "- package: \`$name\`, version $version, from the npm registry (\`npm pack $name@$version\`)"
    echo "- tarball \`$name-$version.tgz\`: integrity \`$integrity\`"
    echo "- tarball sha256: \`$sha256\`"
    echo "- licence: see \`LICENSE\` (copied from the package)"
    echo "- kept: the files below, unchanged; everything else in the package (sources, tests, other builds) is left out"
    echo
    echo "| file | sha256 | bytes |"
    echo "| --- | --- | --- |"
    (cd "$staged" && find . -type f ! -name SOURCE.md | sed 's|^\./||' | LC_ALL=C sort | while read -r f; do
      echo "| \`$f\` | \`$(sha256sum "$f" | cut -d' ' -f1)\` | $(stat -c %s "$f") |"
    done)
  } >"$staged/SOURCE.md"

  if [ "$mode" = --check ]; then
    if diff -r "$staged" "$DEST/$folder" >/dev/null; then
      echo "$name $version: the committed files match the registry's tarball"
    else
      echo "$name $version: the committed files differ from the registry's tarball:" >&2
      diff -rq "$staged" "$DEST/$folder" >&2 || true
      status=1
    fi
  else
    rm -rf "${DEST:?}/$folder"
    mkdir -p "$DEST"
    cp -r "$staged" "$DEST/$folder"
    echo "$name $version: written to $DEST/$folder"
  fi
done
exit $status
