#!/usr/bin/env bash
# Reproduce src/sitrep/web/vendor/: fetch the page's front-end libraries with npm into a temporary
# folder and copy their built files, unchanged, with their licence files. Run at development time
# only; the installed package and the running server never fetch anything.
set -euo pipefail
cd "$(dirname "$0")/.."

LEAFLET=1.9.4          # BSD-2-Clause: map, pan/zoom, optional tile layer
TOPOJSON_CLIENT=3.1.0  # ISC: TopoJSON -> GeoJSON in the browser
WORLD_ATLAS=2.0.2      # ISC; Natural Earth data is public domain: country borders

dest=src/sitrep/web/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm init -y >/dev/null && npm install --no-audit --no-fund --ignore-scripts \
    "leaflet@$LEAFLET" "topojson-client@$TOPOJSON_CLIENT" "world-atlas@$WORLD_ATLAS" >/dev/null)

nm="$tmp/node_modules"
rm -rf "$dest"
mkdir -p "$dest/leaflet" "$dest/topojson-client" "$dest/world-atlas"

cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.css" "$dest/leaflet/"
cp "$nm/leaflet/LICENSE" "$dest/leaflet/LICENSE"
cp -r "$nm/leaflet/dist/images" "$dest/leaflet/images"
cp "$nm/topojson-client/dist/topojson-client.min.js" "$dest/topojson-client/"
cp "$nm/topojson-client/LICENSE" "$dest/topojson-client/LICENSE"
cp "$nm/world-atlas/countries-50m.json" "$dest/world-atlas/"
cp "$nm/world-atlas/LICENSE" "$dest/world-atlas/LICENSE"

cat > "$dest/VERSIONS" <<TXT
leaflet $LEAFLET BSD-2-Clause
topojson-client $TOPOJSON_CLIENT ISC
world-atlas $WORLD_ATLAS ISC (Natural Earth data: public domain)
TXT
echo "vendored into $dest:"
find "$dest" -type f | sort
