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

# Leaflet.VectorGrid (vector tiles on the map), into the tiles app.
VECTORGRID=1.3.0   # leaflet.vectorgrid (Beerware)
work2=$(mktemp -d)
(cd "$work2" && npm pack -q "leaflet.vectorgrid@$VECTORGRID" >/dev/null && tar xzf ./*.tgz)
dest=geoapp/tiles/static/vendor/leaflet-vectorgrid
mkdir -p "$dest"
cp "$work2/package/dist/Leaflet.VectorGrid.bundled.min.js" "$dest/"
echo "leaflet.vectorgrid $VECTORGRID (Beerware licence, see package.json of the npm package) from the npm registry; scripts/vendor_js.sh" > "$dest/VERSION"
rm -rf "$work2"

# Leaflet.markercluster (facility layer of the map workspace clusters its markers).
MARKERCLUSTER=1.5.3   # leaflet.markercluster (MIT)
work3=$(mktemp -d)
(cd "$work3" && npm pack -q "leaflet.markercluster@$MARKERCLUSTER" >/dev/null && tar xzf ./*.tgz)
dest=geoapp/static/vendor/leaflet-markercluster
mkdir -p "$dest"
cp "$work3/package/dist/leaflet.markercluster.js" "$work3/package/dist/MarkerCluster.css" \
   "$work3/package/dist/MarkerCluster.Default.css" "$work3/package/MIT-LICENCE.txt" "$dest/"
sed -i '\#^//\# sourceMappingURL#d' "$dest/leaflet.markercluster.js"  # the map is not shipped
echo "leaflet.markercluster $MARKERCLUSTER (MIT, see MIT-LICENCE.txt) from the npm registry; scripts/vendor_js.sh" > "$dest/VERSION"
rm -rf "$work3"
