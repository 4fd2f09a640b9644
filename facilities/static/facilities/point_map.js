/*
 * The small location map of a facility's page (#point-config via json_script).
 *
 * On the detail page it shows the point. On the registry form it is a picker: a click
 * on the map writes longitude and latitude into the form's location inputs
 * (#id_location_0, #id_location_1) and typing coordinates moves the marker; the
 * details fieldsets are shown for the chosen kind only (#kind-groups maps kind →
 * fieldset). Without JavaScript the form still works with typed coordinates.
 */
(function () {
  "use strict";

  const config = CivAtlas.config("point-config");
  const box = document.getElementById("point-map");
  if (!box) return;
  const map = L.map(box, { minZoom: 4, maxZoom: 18 }).setView([35, 105], 5);
  CivAtlas.prefix(map);
  CivAtlas.baseLayers(map, config.basemaps, { overlays: false });
  const outline = L.geoJSON(null, { style: { color: "#13304f", weight: 2, dashArray: "6 4", fill: false }, interactive: false }).addTo(map);
  let marker = null;

  function place(lon, lat, pan) {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return;
    if (marker) marker.setLatLng([lat, lon]);
    else marker = L.circleMarker([lat, lon], { radius: 8, color: "#fff", weight: 2, fillColor: "#c2410c", fillOpacity: 1 }).addTo(map);
    if (pan) map.setView([lat, lon], Math.max(map.getZoom(), 12));
  }

  async function showDivision(code) {
    if (!code) return;
    try {
      const feature = await CivAtlas.getJSON(config.api.division_detail.replace("{code}", encodeURIComponent(code)));
      outline.clearLayers();
      if (feature.geometry && feature.geometry.type !== "Point") {
        outline.addData(feature);
        map.fitBounds(outline.getBounds(), { padding: [10, 10] });
      }
    } catch (error) {
      console.warn(error);
    }
  }

  if (config.point) place(config.point[0], config.point[1], true);
  if (!config.editable) showDivision(config.division);

  if (config.editable) {
    const lon = document.getElementById("id_location_0");
    const lat = document.getElementById("id_location_1");
    const division = document.getElementById("id_division");
    map.on("click", (e) => {
      lon.value = e.latlng.lng.toFixed(6);
      lat.value = e.latlng.lat.toFixed(6);
      place(e.latlng.lng, e.latlng.lat, false);
    });
    const typed = () => place(parseFloat(lon.value), parseFloat(lat.value), true);
    lon.addEventListener("change", typed);
    lat.addEventListener("change", typed);
    division.addEventListener("change", () => showDivision(division.value.trim()));
    showDivision(division.value.trim() || config.home);

    const groups = CivAtlas.config("kind-groups");
    const kind = document.getElementById("id_kind");
    const showGroup = () => {
      document.querySelectorAll(".details-fieldset").forEach((set) => {
        set.hidden = set.dataset.group !== groups[kind.value];
      });
    };
    kind.addEventListener("change", showGroup);
    showGroup();
  }
})();
