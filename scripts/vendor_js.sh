#!/usr/bin/env bash
# Re-vendor the browser libraries CivAtlas serves itself (no CDN: intranets are offline).
# Leaflet comes with django-leaflet (PyPI); editing tools come from npm, pinned here.
# Run by hand when upgrading; the results are committed under geoapp/static/vendor/.
set -euo pipefail
cd "$(dirname "$0")/.."
GEOMAN=2.18.3   # @geoman-io/leaflet-geoman-free (MIT)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack -q "@geoman-io/leaflet-geoman-free@$GEOMAN" >/dev/null && tar xzf ./*.tgz)
dest=geoapp/static/vendor/leaflet-geoman
mkdir -p "$dest"
cp "$work/package/dist/leaflet-geoman.min.js" "$work/package/dist/leaflet-geoman.css" "$work/package/LICENSE" "$dest/"
echo "@geoman-io/leaflet-geoman-free $GEOMAN (MIT) from the npm registry" > "$dest/VERSION"
