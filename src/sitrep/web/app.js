/* sitrep analyst's desk: map, timeline, list and event panel over sitrep's HTTP API.
 *
 * Data is always put on the page as text (textContent, createTextNode), never as HTML, so article
 * text and titles that contain markup are shown, not run. No inline code: the page works under a
 * strict Content-Security-Policy. Everything it loads comes from the same server.
 */
(function () {
  "use strict";

  const { el, clear, dayToIso, isoToDay, colourOf, plural, getJson } = window.sitrep.util;
  const S = window.sitrep;
  const FILTER_KEYS = ["event_type", "sub_event_type", "country", "actor", "status", "min_sources", "text"];
  const LIST_PAGE = 200;

  const state = {
    meta: null,
    filters: {},
    brush: null, // [fromDay, toDay] in days since 1970-01-01, inclusive
    selected: null,
    data: null,
    inBrush: null, // Uint8Array: 1 when the event passes the period
    order: [], // indices of events in the period, in the server's order
    listShown: LIST_PAGE,
    map: null,
    points: null,
    timeline: null,
    ready: false,
  };

  S.state = state; // read by bench/api_bench.py to time a redraw

  const $ = (id) => document.getElementById(id);

  function setStatus(text, isError) {
    const s = $("status-line");
    s.textContent = text;
    s.classList.toggle("error", !!isError);
  }

  // -- URL state ---------------------------------------------------------------------------------

  function readUrl() {
    const p = new URLSearchParams(location.search);
    state.filters = {};
    for (const k of FILTER_KEYS) {
      const v = (p.get(k) || "").trim();
      if (v) state.filters[k] = v;
    }
    const from = isoToDay(p.get("from"));
    const to = isoToDay(p.get("to"));
    state.brush = from !== null && to !== null ? [Math.min(from, to), Math.max(from, to)] : null;
    state.selected = p.get("event") || null;
    const view = (p.get("view") || "").split(",").map(Number);
    state.view = view.length === 3 && view.every(Number.isFinite) ? view : null;
  }

  function writeUrl() {
    const p = new URLSearchParams();
    for (const k of FILTER_KEYS) if (state.filters[k]) p.set(k, state.filters[k]);
    if (state.brush) {
      p.set("from", dayToIso(state.brush[0]));
      p.set("to", dayToIso(state.brush[1]));
    }
    if (state.selected) p.set("event", state.selected);
    if (state.map && state.ready) {
      const c = state.map.getCenter();
      p.set("view", [c.lat.toFixed(4), c.lng.toFixed(4), state.map.getZoom()].join(","));
    }
    const qs = p.toString();
    history.replaceState(null, "", qs ? "?" + qs : location.pathname);
  }

  function serverQuery() {
    const p = new URLSearchParams();
    for (const k of FILTER_KEYS) if (state.filters[k]) p.set(k, state.filters[k]);
    return p.toString();
  }

  // -- filters form ------------------------------------------------------------------------------

  function fillSelect(select, values, current) {
    const keep = select.options[0];
    clear(select);
    select.appendChild(keep);
    for (const v of values) select.appendChild(el("option", { value: v, text: v }));
    select.value = values.includes(current) ? current : "";
  }

  function fillSubTypes() {
    const type = $("f-type").value;
    const byType = state.meta.sub_event_types;
    const subs = type ? byType[type] || [] : Object.values(byType).flat();
    fillSelect($("f-sub"), subs, state.filters.sub_event_type);
  }

  function filtersToForm() {
    fillSelect($("f-type"), state.meta.event_types, state.filters.event_type);
    fillSubTypes();
    fillSelect($("f-status"), state.meta.statuses, state.filters.status);
    $("f-country").value = state.filters.country || "";
    $("f-actor").value = state.filters.actor || "";
    $("f-min").value = state.filters.min_sources || "";
    $("f-text").value = state.filters.text || "";
  }

  function formToFilters() {
    const f = {};
    const pairs = [
      ["event_type", "f-type"], ["sub_event_type", "f-sub"], ["country", "f-country"], ["actor", "f-actor"],
      ["status", "f-status"], ["min_sources", "f-min"], ["text", "f-text"],
    ];
    for (const [k, id] of pairs) {
      const v = $(id).value.trim();
      if (v) f[k] = v;
    }
    return f;
  }

  function bindForm() {
    $("f-type").addEventListener("change", fillSubTypes);
    $("filters").addEventListener("submit", (e) => {
      e.preventDefault();
      state.filters = formToFilters();
      reload();
    });
    $("f-reset").addEventListener("click", () => {
      state.filters = {};
      state.brush = null;
      filtersToForm();
      reload();
    });
  }

  // -- data --------------------------------------------------------------------------------------

  /** Column arrays from the compact /api/points answer, with Web-Mercator pixels at zoom 0. */
  function prepare(d) {
    const n = d.id.length;
    const x0 = new Float64Array(n);
    const y0 = new Float64Array(n);
    const hasXY = new Uint8Array(n);
    const day = new Int32Array(n);
    const hasDay = new Uint8Array(n);
    const maxLat = 85.0511287798;
    let dayMin = Infinity;
    let dayMax = -Infinity;
    for (let i = 0; i < n; i++) {
      const lat = d.lat[i];
      const lon = d.lon[i];
      if (lat !== null && lon !== null) {
        const phi = (Math.max(-maxLat, Math.min(maxLat, lat)) * Math.PI) / 180;
        x0[i] = 256 * (lon / 360 + 0.5);
        y0[i] = 256 * (0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI));
        hasXY[i] = 1;
      }
      if (d.day[i] !== null) {
        day[i] = d.day[i];
        hasDay[i] = 1;
        if (d.day[i] < dayMin) dayMin = d.day[i];
        if (d.day[i] > dayMax) dayMax = d.day[i];
      }
    }
    return {
      n, raw: d, x0, y0, hasXY, day, hasDay,
      type: Uint8Array.from(d.type),
      types: d.event_types,
      dayMin: Number.isFinite(dayMin) ? dayMin : null,
      dayMax: Number.isFinite(dayMax) ? dayMax : null,
    };
  }

  /** Apply the period to the loaded events: the map, the list and the counts follow. */
  function applyBrush() {
    const d = state.data;
    if (!d) return;
    const mask = new Uint8Array(d.n);
    const order = [];
    const b = state.brush;
    for (let i = 0; i < d.n; i++) {
      const ok = !b || (d.hasDay[i] && d.day[i] >= b[0] && d.day[i] <= b[1]);
      if (ok) {
        mask[i] = 1;
        order.push(i);
      }
    }
    state.inBrush = mask;
    state.order = order;
    state.listShown = LIST_PAGE;
    if (state.points) state.points.draw();
    renderList();
    renderBrushLabel();
  }

  async function reload() {
    setStatus("loading events…");
    writeUrl();
    try {
      const d = await getJson("api/points?" + serverQuery());
      state.data = prepare(d);
      if (d.truncated) setStatus("showing the first " + d.id.length + " of " + d.total + " events: narrow the filters", true);
      else setStatus(plural(d.id.length, "event"));
      fillCountries();
      state.timeline.setData(state.data);
      applyBrush();
    } catch (err) {
      setStatus("could not load events: " + err.message, true);
    }
  }

  function fillCountries() {
    const list = $("countries");
    if (list.childNodes.length) return;
    const names = new Set();
    for (const c of state.data.raw.country) if (c) names.add(c);
    for (const c of [...names].sort()) list.appendChild(el("option", { value: c }));
  }

  // -- the map -----------------------------------------------------------------------------------
  let idIndex = null;
  function indexOf(eventId) {
    const d = state.data;
    if (!d) return null;
    if (!idIndex || idIndex.data !== d) {
      idIndex = { data: d, map: new Map(d.raw.id.map((id, i) => [id, i])) };
    }
    const i = idIndex.map.get(eventId);
    return i === undefined ? null : i;
  }
  state.indexOf = indexOf;

  // The operator's credit line for the tile server, set as text: Leaflet's attribution takes HTML.
  function tileCredit(text) {
    const control = L.control({ position: "bottomright" });
    control.onAdd = () => {
      const el = L.DomUtil.create("div", "leaflet-control-attribution tile-credit");
      el.textContent = text;
      return el;
    };
    return control;
  }

  function buildMap(meta, basemap) {
    const map = L.map("map", { minZoom: 1, maxZoom: 15, worldCopyJump: false, zoomSnap: 1 });
    map.attributionControl.setPrefix(false);
    if (meta.tile_url) {
      L.tileLayer(meta.tile_url, { maxZoom: 19 }).addTo(map);
      if (meta.tile_attribution) tileCredit(meta.tile_attribution).addTo(map);
    }
    if (basemap) {
      const countries = topojson.feature(basemap, basemap.objects.countries);
      L.geoJSON(countries, {
        renderer: L.canvas({ padding: 0.3 }),
        interactive: false,
        style: meta.tile_url
          ? { color: "#5d6670", weight: 0.8, fill: false }
          : { color: "#8a9099", weight: 0.7, fillColor: "#f3f0e8", fillOpacity: 1 },
      }).addTo(map);
      map.attributionControl.addAttribution("Borders: Natural Earth");
    }
    if (state.view) map.setView([state.view[0], state.view[1]], state.view[2]);
    else map.setView([20, 10], 2);
    const layer = new S.PointLayer(state);
    layer.addTo(map);
    map.on("click", (e) => {
      const i = layer.hit(e.containerPoint);
      if (i !== null) selectEvent(state.data.raw.id[i], { pan: false });
    });
    let pending = false;
    map.on("mousemove", (e) => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        map.getContainer().style.cursor = layer.hit(e.containerPoint) !== null ? "pointer" : "";
      });
    });
    map.on("moveend", () => {
      if (state.ready) writeUrl();
    });
    state.map = map;
    state.points = layer;
  }

  function fitToData() {
    const d = state.data;
    if (!d || state.view) return;
    let s = 90, w = 180, n = -90, e = -180, any = false;
    for (let i = 0; i < d.n; i++) {
      if (!d.hasXY[i]) continue;
      const lat = d.raw.lat[i];
      const lon = d.raw.lon[i];
      s = Math.min(s, lat); n = Math.max(n, lat); w = Math.min(w, lon); e = Math.max(e, lon);
      any = true;
    }
    if (any) state.map.fitBounds([[s, w], [n, e]], { padding: [30, 30], maxZoom: 8, animate: false });
  }

  function buildLegend(types) {
    const box = $("legend");
    clear(box);
    for (const t of types) {
      const sw = el("span", { class: "swatch" });
      sw.style.background = colourOf(t);
      box.appendChild(el("div", {}, sw, t));
    }
  }

  // -- the timeline ------------------------------------------------------------------------------
  function onBrush(range) {
    state.brush = range;
    state.timeline.draw();
    applyBrush();
    writeUrl();
  }

  function renderBrushLabel() {
    const b = state.brush;
    $("brush-label").textContent = b ? dayToIso(b[0]) + " – " + dayToIso(b[1]) : "";
    $("brush-clear").hidden = !b;
  }

  // -- the list ----------------------------------------------------------------------------------

  function renderList() {
    const d = state.data;
    const list = $("event-list");
    clear(list);
    if (!d) return;
    const raw = d.raw;
    const shown = Math.min(state.listShown, state.order.length);
    const frag = document.createDocumentFragment();
    for (let j = 0; j < shown; j++) {
      const i = state.order[j];
      const where = [raw.location[i], raw.country[i]].filter(Boolean).join(", ") || "place unknown";
      const dot = el("span", { class: "swatch" });
      dot.style.background = colourOf(d.types[d.type[i]]);
      const when = d.hasDay[i] ? dayToIso(d.day[i]) : "date unknown";
      const extra = [];
      if (raw.fatalities[i]) extra.push(raw.fatalities[i] + " killed");
      extra.push(plural(raw.sources[i], "source"));
      const li = el(
        "li",
        { tabindex: "0", "data-event-id": raw.id[i] },
        el("div", { class: "when" }, dot, " ", when, " · ", extra.join(" · ")),
        el("div", { class: "what", text: raw.sub_event_type[i] }),
        el("div", { class: "where", text: where }),
      );
      frag.appendChild(li);
    }
    list.appendChild(frag);
    const onMap = state.order.reduce((acc, i) => acc + d.hasXY[i], 0);
    $("list-count").textContent =
      plural(state.order.length, "event") + (state.brush ? " in the period" : "") + " · " + onMap + " on the map";
    $("list-more").hidden = shown >= state.order.length;
  }

  function bindList() {
    const list = $("event-list");
    const open = (e) => {
      const li = e.target.closest("li[data-event-id]");
      if (li) selectEvent(li.getAttribute("data-event-id"), { pan: true });
    };
    list.addEventListener("click", open);
    list.addEventListener("keydown", (e) => {
      if (e.key === "Enter") open(e);
    });
    $("list-more").addEventListener("click", () => {
      state.listShown += LIST_PAGE;
      renderList();
    });
    $("panel-close").addEventListener("click", closePanel);
    $("brush-clear").addEventListener("click", () => onBrush(null));
  }

  // -- the event panel ---------------------------------------------------------------------------

  function closePanel() {
    state.selected = null;
    $("event-panel").hidden = true;
    $("list-view").hidden = false;
    if (state.points) state.points.draw();
    writeUrl();
  }

  async function selectEvent(eventId, opts) {
    state.selected = eventId;
    writeUrl();
    $("list-view").hidden = true;
    const panel = $("event-panel");
    panel.hidden = false;
    const body = $("panel-body");
    clear(body);
    body.appendChild(el("p", { class: "muted", text: "loading the event…" }));
    document.querySelector(".side").scrollTop = 0;
    if (state.points) state.points.draw();
    const i = indexOf(eventId);
    if (opts && opts.pan && i !== null && state.data.hasXY[i]) {
      const ll = L.latLng(state.data.raw.lat[i], state.data.raw.lon[i]);
      if (!state.map.getBounds().contains(ll)) state.map.panTo(ll);
    }
    try {
      const ev = await getJson("api/events/" + encodeURIComponent(eventId));
      if (state.selected !== eventId) return;
      S.panel.renderEvent(body, ev);
      panel.setAttribute("data-event-id", eventId);
    } catch (err) {
      clear(body);
      body.appendChild(el("p", { class: "error", text: "could not load the event: " + err.message }));
    }
  }
  // -- start -------------------------------------------------------------------------------------

  async function start() {
    readUrl();
    bindForm();
    bindList();
    state.timeline = new S.Timeline($("timeline"), state, onBrush);
    try {
      const [meta, basemap, points] = await Promise.all([
        getJson("api/meta"),
        getJson("static/vendor/world-atlas/countries-50m.json").catch(() => null),
        getJson("api/points?" + serverQuery()),
      ]);
      state.meta = meta;
      filtersToForm();
      buildLegend(meta.event_types);
      buildMap(meta, basemap);
      state.data = prepare(points);
      fillCountries();
      fitToData();
      state.timeline.setData(state.data);
      applyBrush();
      if (points.truncated) setStatus("showing the first " + points.id.length + " of " + points.total + " events: narrow the filters", true);
      else setStatus(plural(points.id.length, "event"));
      if (state.selected) selectEvent(state.selected, { pan: true });
    } catch (err) {
      setStatus("could not load: " + err.message, true);
    }
    state.ready = true;
    writeUrl();
    requestAnimationFrame(() => {
      const ms = Math.round(performance.now()); // since navigation start
      performance.mark("sitrep-ready");
      document.body.setAttribute("data-render-ms", String(ms));
      document.body.setAttribute("data-ready", "1");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
