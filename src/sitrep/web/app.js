/* sitrep analyst's desk: map, timeline, list and event panel over sitrep's HTTP API.
 *
 * Data is always put on the page as text (textContent, createTextNode), never as HTML, so article
 * text and titles that contain markup are shown, not run. No inline code: the page works under a
 * strict Content-Security-Policy. Everything it loads comes from the same server.
 */
(function () {
  "use strict";

  const TYPE_COLOURS = {
    "Battles": "#d7301f",
    "Explosions/Remote violence": "#f28e2b",
    "Violence against civilians": "#7b3294",
    "Protests": "#2c7fb8",
    "Riots": "#1b9e77",
    "Strategic developments": "#6b6b6b",
  };
  const FALLBACK_COLOUR = "#333333";
  const FILTER_KEYS = ["event_type", "sub_event_type", "country", "actor", "status", "min_sources", "text"];
  const LIST_PAGE = 200;
  const DAY_MS = 86400000;
  const PADDING = 0.25; // the point canvas reaches this share of the view beyond each edge

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

  const $ = (id) => document.getElementById(id);

  /** A DOM element with attributes and children; strings become text nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function dayToIso(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function isoToDay(text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text || "")) return null;
    const t = Date.parse(text + "T00:00:00Z");
    return Number.isNaN(t) ? null : Math.round(t / DAY_MS);
  }

  function colourOf(type) {
    return TYPE_COLOURS[type] || FALLBACK_COLOUR;
  }

  function setStatus(text, isError) {
    const s = $("status-line");
    s.textContent = text;
    s.classList.toggle("error", !!isError);
  }

  async function getJson(url) {
    const r = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!r.ok) {
      let detail = r.statusText;
      try {
        const body = await r.json();
        detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
      } catch (e) {
        /* not JSON */
      }
      throw new Error(r.status + " " + detail);
    }
    return r.json();
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
      else setStatus(d.id.length + " events");
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

  /** A canvas layer that draws every event as a dot, coloured by type; smooth with 50,000 events. */
  const PointLayer = L.Layer.extend({
    onAdd(map) {
      this._map = map;
      this._canvas = L.DomUtil.create("canvas", "sitrep-points leaflet-zoom-animated");
      this._canvas.setAttribute("data-testid", "points");
      map.getPanes().overlayPane.appendChild(this._canvas);
      map.on("moveend viewreset resize", this._reset, this);
      map.on("zoomanim", this._animate, this);
      this._reset();
    },
    onRemove(map) {
      map.off("moveend viewreset resize", this._reset, this);
      map.off("zoomanim", this._animate, this);
      L.DomUtil.remove(this._canvas);
    },
    _reset() {
      const map = this._map;
      const size = map.getSize();
      const pad = size.multiplyBy(PADDING).round();
      const topLeft = map.containerPointToLayerPoint([0, 0]).subtract(pad);
      const w = size.x + 2 * pad.x;
      const h = size.y + 2 * pad.y;
      const ratio = window.devicePixelRatio || 1;
      this._canvas.width = Math.round(w * ratio);
      this._canvas.height = Math.round(h * ratio);
      this._canvas.style.width = w + "px";
      this._canvas.style.height = h + "px";
      L.DomUtil.setPosition(this._canvas, topLeft);
      this._topLeft = topLeft;
      this._size = L.point(w, h);
      this._ratio = ratio;
      this._zoom = map.getZoom();
      this._center = map.getCenter();
      this.draw();
    },
    _animate(e) {
      const map = this._map;
      if (typeof map._getNewPixelOrigin !== "function") {
        this._canvas.style.visibility = "hidden";
        map.once("zoomend", () => { this._canvas.style.visibility = ""; });
        return;
      }
      // The same transform Leaflet applies to its own renderers while a zoom animates.
      const scale = map.getZoomScale(e.zoom, this._zoom);
      const viewHalf = map.getSize().multiplyBy(0.5 + PADDING);
      const centre = map.project(this._center, e.zoom);
      const offset = viewHalf.multiplyBy(-scale).add(centre).subtract(map._getNewPixelOrigin(e.center, e.zoom));
      L.DomUtil.setTransform(this._canvas, offset, scale);
    },
    /** Absolute pixel size of the world at the current zoom. */
    _world() {
      return 256 * Math.pow(2, this._map.getZoom());
    },
    draw() {
      const canvas = this._canvas;
      if (!canvas) return;
      const ctx = canvas.getContext("2d");
      ctx.setTransform(this._ratio, 0, 0, this._ratio, 0, 0);
      ctx.clearRect(0, 0, this._size.x, this._size.y);
      const d = state.data;
      if (!d) return;
      const map = this._map;
      const zoom = map.getZoom();
      const scale = this._world() / 256;
      const origin = map.getPixelOrigin().add(this._topLeft);
      const w = this._size.x;
      const h = this._size.y;
      const world = this._world();
      const shifts = [0];
      if (world < w * 2) shifts.push(-world, world);
      const r = zoom < 4 ? 1.6 : zoom < 7 ? 2.6 : 3.6;
      const mask = state.inBrush;
      for (let t = 0; t < d.types.length; t++) {
        ctx.fillStyle = colourOf(d.types[t]);
        ctx.globalAlpha = 0.8;
        ctx.beginPath();
        for (let i = 0; i < d.n; i++) {
          if (d.type[i] !== t || !d.hasXY[i] || (mask && !mask[i])) continue;
          const y = d.y0[i] * scale - origin.y;
          if (y < -r || y > h + r) continue;
          for (const s of shifts) {
            const x = d.x0[i] * scale - origin.x + s;
            if (x < -r || x > w + r) continue;
            if (r < 2) ctx.rect(x - r, y - r, 2 * r, 2 * r);
            else {
              ctx.moveTo(x + r, y);
              ctx.arc(x, y, r, 0, 2 * Math.PI);
            }
          }
        }
        ctx.fill();
      }
      ctx.globalAlpha = 1;
      const sel = state.selected && indexOf(state.selected);
      if (sel !== null && sel !== undefined && d.hasXY[sel]) {
        const x = d.x0[sel] * scale - origin.x;
        const y = d.y0[sel] * scale - origin.y;
        ctx.lineWidth = 2.5;
        ctx.strokeStyle = "#000";
        ctx.beginPath();
        ctx.arc(x, y, r + 5, 0, 2 * Math.PI);
        ctx.stroke();
      }
      canvas.setAttribute("data-drawn", String(state.order.length));
    },
    /** The index of the visible event nearest to a container point, within a few pixels, or null. */
    hit(containerPoint) {
      const d = state.data;
      if (!d) return null;
      const map = this._map;
      const scale = this._world() / 256;
      const p = map.containerPointToLayerPoint(containerPoint).add(map.getPixelOrigin());
      const world = this._world();
      const limit = 8;
      let best = null;
      let bestD = limit * limit;
      const mask = state.inBrush;
      for (let i = 0; i < d.n; i++) {
        if (!d.hasXY[i] || (mask && !mask[i])) continue;
        let dx = Math.abs(d.x0[i] * scale - p.x) % world;
        if (dx > world / 2) dx = world - dx;
        const dy = d.y0[i] * scale - p.y;
        const dd = dx * dx + dy * dy;
        if (dd <= bestD) {
          bestD = dd;
          best = i;
        }
      }
      return best;
    },
  });

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

  function buildMap(meta, basemap) {
    const map = L.map("map", { minZoom: 1, maxZoom: 15, worldCopyJump: false, zoomSnap: 1 });
    map.attributionControl.setPrefix(false);
    if (meta.tile_url) {
      L.tileLayer(meta.tile_url, { attribution: meta.tile_attribution || "", maxZoom: 19 }).addTo(map);
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
    const layer = new PointLayer();
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

  /** A stacked histogram of events per day (or per few days), with a brush to pick a period. */
  function Timeline(canvas, onBrush) {
    this.canvas = canvas;
    this.onBrush = onBrush;
    this.data = null;
    this.drag = null;
    const pos = (e) => {
      const r = canvas.getBoundingClientRect();
      return Math.max(0, Math.min(r.width, e.clientX - r.left));
    };
    canvas.addEventListener("mousedown", (e) => {
      if (!this.data || this.data.dayMin === null) return;
      this.drag = { start: pos(e) };
      e.preventDefault();
    });
    window.addEventListener("mousemove", (e) => {
      if (!this.drag) return;
      this.drag.end = pos(e);
      this.draw();
    });
    window.addEventListener("mouseup", (e) => {
      if (!this.drag) return;
      const drag = this.drag;
      this.drag = null;
      const end = drag.end === undefined ? pos(e) : drag.end;
      if (Math.abs(end - drag.start) < 3) {
        this.draw();
        return;
      }
      const a = this.xToDay(Math.min(drag.start, end));
      const b = this.xToDay(Math.max(drag.start, end));
      this.onBrush([a, b]);
    });
    canvas.addEventListener("dblclick", () => this.onBrush(null));
    window.addEventListener("resize", () => this.draw());
  }

  Timeline.prototype.setData = function (d) {
    this.data = d;
    this.draw();
  };

  Timeline.prototype.layout = function () {
    const d = this.data;
    const width = this.canvas.clientWidth || 600;
    const span = d.dayMax - d.dayMin + 1;
    const binDays = Math.max(1, Math.ceil(span / Math.max(1, Math.floor(width / 3))));
    const bins = Math.ceil(span / binDays);
    return { width, span, binDays, bins, start: d.dayMin };
  };

  Timeline.prototype.xToDay = function (x) {
    const l = this.layout();
    const day = l.start + Math.floor((x / l.width) * l.bins) * l.binDays;
    return Math.max(this.data.dayMin, Math.min(this.data.dayMax, day));
  };

  Timeline.prototype.dayToX = function (day) {
    const l = this.layout();
    return ((day - l.start) / (l.bins * l.binDays)) * l.width;
  };

  Timeline.prototype.draw = function () {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 600;
    const height = canvas.clientHeight || 110;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const d = this.data;
    if (!d || d.dayMin === null) {
      ctx.fillStyle = "#889";
      ctx.fillText("no dated events", 8, 20);
      canvas.setAttribute("data-bins", "0");
      return;
    }
    const l = this.layout();
    const k = d.types.length;
    const counts = new Uint32Array(l.bins * k);
    for (let i = 0; i < d.n; i++) {
      if (!d.hasDay[i]) continue;
      const b = Math.floor((d.day[i] - l.start) / l.binDays);
      counts[b * k + d.type[i]]++;
    }
    let max = 1;
    for (let b = 0; b < l.bins; b++) {
      let sum = 0;
      for (let t = 0; t < k; t++) sum += counts[b * k + t];
      if (sum > max) max = sum;
    }
    const axis = 16;
    const plotH = height - axis;
    const barW = l.width / l.bins;
    let brush = state.brush;
    if (this.drag && this.drag.end !== undefined) {
      brush = [this.xToDay(Math.min(this.drag.start, this.drag.end)), this.xToDay(Math.max(this.drag.start, this.drag.end))];
    }
    for (let b = 0; b < l.bins; b++) {
      const binStart = l.start + b * l.binDays;
      const inside = !brush || (binStart + l.binDays - 1 >= brush[0] && binStart <= brush[1]);
      let y = plotH;
      for (let t = 0; t < k; t++) {
        const c = counts[b * k + t];
        if (!c) continue;
        const hgt = (c / max) * (plotH - 4);
        ctx.fillStyle = inside ? colourOf(d.types[t]) : "#c9ced4";
        ctx.fillRect(b * barW, y - hgt, Math.max(1, barW - (barW > 3 ? 1 : 0)), hgt);
        y -= hgt;
      }
    }
    if (brush) {
      const x0 = this.dayToX(brush[0]);
      const x1 = this.dayToX(brush[1] + 1);
      ctx.fillStyle = "rgba(31, 43, 56, 0.12)";
      ctx.fillRect(x0, 0, x1 - x0, plotH);
      ctx.strokeStyle = "#1f2b38";
      ctx.strokeRect(x0 + 0.5, 0.5, Math.max(1, x1 - x0 - 1), plotH - 1);
    }
    ctx.fillStyle = "#556";
    ctx.font = "11px system-ui, sans-serif";
    ctx.textBaseline = "top";
    ctx.fillText(dayToIso(d.dayMin), 2, plotH + 2);
    const last = dayToIso(d.dayMax);
    ctx.fillText(last, l.width - ctx.measureText(last).width - 2, plotH + 2);
    ctx.fillText("max " + max + " per " + (l.binDays === 1 ? "day" : l.binDays + " days"), l.width / 2 - 40, plotH + 2);
    canvas.setAttribute("data-bins", String(l.bins));
  };

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
      extra.push(raw.sources[i] + (raw.sources[i] === 1 ? " source" : " sources"));
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
      state.order.length + " events" + (state.brush ? " in the period" : "") + " · " + onMap + " on the map";
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
    if (state.points) state.points.draw();
    const i = indexOf(eventId);
    if (opts && opts.pan && i !== null && state.data.hasXY[i]) {
      const ll = L.latLng(state.data.raw.lat[i], state.data.raw.lon[i]);
      if (!state.map.getBounds().contains(ll)) state.map.panTo(ll);
    }
    try {
      const ev = await getJson("api/events/" + encodeURIComponent(eventId));
      if (state.selected !== eventId) return;
      renderEvent(body, ev);
      panel.setAttribute("data-event-id", eventId);
    } catch (err) {
      clear(body);
      body.appendChild(el("p", { class: "error", text: "could not load the event: " + err.message }));
    }
  }

  function joined(list) {
    return list && list.length ? list.join("; ") : "—";
  }

  function kv(pairs) {
    const dl = el("dl", { class: "kv" });
    for (const [k, v] of pairs) {
      if (v === null || v === undefined || v === "") continue;
      dl.appendChild(el("dt", { text: k }));
      dl.appendChild(el("dd", { text: String(v) }));
    }
    return dl;
  }

  const PRECISION = { 1: "day", 2: "week", 3: "month" };
  const GEO_PRECISION = { 1: "the place itself", 2: "near / part of", 3: "region" };

  function safeLink(url, text) {
    if (typeof url === "string" && /^https?:\/\//i.test(url)) {
      return el("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank", text: text || url });
    }
    return el("span", { text: url || "" });
  }

  function actorLine(main, assoc) {
    if (!main) return null;
    return assoc ? main + " (with " + assoc + ")" : main;
  }

  function renderEvent(body, ev) {
    clear(body);
    const place = [ev.location, ev.admin2, ev.admin1, ev.country].filter(Boolean);
    const uniquePlace = place.filter((p, i) => place.indexOf(p) === i).join(", ");
    const dot = el("span", { class: "swatch" });
    dot.style.background = colourOf(ev.event_type);
    body.appendChild(el("h2", {}, dot, " ", ev.sub_event_type));
    body.appendChild(
      el("div", { class: "muted" },
        ev.event_type, " · ", ev.event_date || "date unknown",
        ev.event_date ? " (" + (PRECISION[ev.time_precision] || "?") + ")" : "",
        " · ", uniquePlace || "place unknown"),
    );
    const badges = el("div", {});
    badges.appendChild(el("span", { class: "badge status-" + String(ev.status).replace(/[^a-z]/g, ""), text: ev.status }));
    badges.appendChild(el("span", { class: "badge", text: ev.source_count + " sources, " + ev.independent_sources + " independent" }));
    badges.appendChild(el("span", { class: "badge", text: ev.mention_count + " reports" }));
    if (ev.civilian_targeting) badges.appendChild(el("span", { class: "badge", text: "civilian targeting" }));
    if (ev.background) badges.appendChild(el("span", { class: "badge", text: "background event" }));
    body.appendChild(badges);

    body.appendChild(el("h3", { text: "Notes" }));
    body.appendChild(el("p", { class: "notes", text: ev.notes || "—" }));

    body.appendChild(el("h3", { text: "What and where" }));
    body.appendChild(
      kv([
        ["Actor 1", actorLine(ev.actor1, ev.assoc_actor_1)],
        ["Actor 2", actorLine(ev.actor2, ev.assoc_actor_2)],
        ["Fatalities", ev.fatalities],
        ["Injuries", ev.injuries],
        ["Weapons", ev.weapons && ev.weapons.length ? ev.weapons.join(", ") : null],
        ["Coordinates", ev.latitude !== null && ev.longitude !== null ? ev.latitude.toFixed(4) + ", " + ev.longitude.toFixed(4) : null],
        ["Geo precision", ev.geo_precision ? GEO_PRECISION[ev.geo_precision] || ev.geo_precision : null],
        ["Confidence", typeof ev.confidence === "number" ? ev.confidence.toFixed(2) : null],
        ["First reported", ev.first_reported],
        ["Last reported", ev.last_reported],
        ["Event id", ev.event_id],
      ]),
    );

    const a = ev.attribution || {};
    body.appendChild(el("h3", { text: "Attribution" }));
    const prob = a.probability && a.probability.length === 2
      ? Math.round(a.probability[0] * 100) + "–" + Math.round(a.probability[1] * 100) + " %"
      : null;
    const attribution = kv([
      ["Status", a.status],
      ["Reported by", joined(a.reported_by)],
      ["Claimed by", joined(a.claimed_by)],
      ["Blamed on", joined(a.blamed_on)],
      ["Blamed by", joined(a.blamed_by)],
      ["Denied by", joined(a.denied_by)],
      ["Probability words", joined(a.hedges)],
      ["Probability", prob],
    ]);
    attribution.setAttribute("data-testid", "attribution");
    body.appendChild(attribution);

    body.appendChild(el("h3", { text: "Sources and their figures" }));
    const table = el("table", { class: "sources" });
    table.appendChild(el("tr", {}, el("th", { text: "Source" }), el("th", { text: "Killed" }), el("th", { text: "Injured" }), el("th", { text: "Published" })));
    for (const f of ev.source_figures || []) {
      table.appendChild(
        el("tr", {}, el("td", { text: f.source }), el("td", { text: String(f.fatalities) }), el("td", { text: String(f.injuries) }),
          el("td", { text: f.published ? f.published.slice(0, 16).replace("T", " ") : "—" })),
      );
    }
    body.appendChild(table);

    body.appendChild(el("h3", { text: "Reports and evidence" }));
    const reports = ev.reports || [];
    if (!reports.length) body.appendChild(el("p", { class: "muted", text: "no reports stored" }));
    reports.forEach((rep, n) => body.appendChild(renderReport(rep, n === 0)));
  }

  function renderReport(rep, openNow) {
    const box = el("div", { class: "report", "data-article-id": rep.article_id });
    box.appendChild(el("div", { class: "title", text: rep.title || rep.article_id }));
    const meta = [rep.source || "unknown source", rep.published ? rep.published.slice(0, 10) : null, rep.status,
      rep.fatalities ? rep.fatalities + " killed" : null, rep.injuries ? rep.injuries + " injured" : null,
      "source group " + rep.group, rep.score !== null && rep.score !== undefined ? "fusion score " + rep.score.toFixed(2) : "founding report"];
    box.appendChild(el("div", { class: "meta", text: meta.filter(Boolean).join(" · ") }));
    if (rep.url) box.appendChild(el("div", { class: "meta" }, safeLink(rep.url)));
    const ev = el("ul", { class: "evidence" });
    for (const e of rep.evidence || []) {
      ev.appendChild(el("li", {}, el("span", { class: "field", text: e.field }), e.text));
    }
    box.appendChild(ev);
    const details = el("details", {});
    const textBox = el("div", { class: "article-text", text: "loading the article…" });
    details.appendChild(el("summary", { text: "Article text with the evidence highlighted" }));
    details.appendChild(textBox);
    box.appendChild(details);
    let loaded = false;
    const load = async () => {
      if (loaded) return;
      loaded = true;
      try {
        const art = await getJson("api/articles/" + encodeURIComponent(rep.article_id));
        highlight(textBox, art.text || "", rep.evidence || []);
        const first = textBox.querySelector("mark");
        if (first) textBox.scrollTop = Math.max(0, first.offsetTop - textBox.offsetTop - 40);
      } catch (err) {
        textBox.textContent = "could not load the article: " + err.message;
        textBox.classList.add("error");
      }
    };
    details.addEventListener("toggle", () => {
      if (details.open) load();
    });
    if (openNow) details.open = true;
    return box;
  }

  /** Put ``text`` in ``box`` as text nodes, with each evidence span wrapped in a <mark>. */
  function highlight(box, text, evidence) {
    const spans = [];
    for (const e of evidence) {
      let start = e.start;
      let end = e.end;
      if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= text.length && start < end &&
        text.slice(start, end) === e.text)) {
        start = e.text ? text.indexOf(e.text) : -1; // offsets disagree with the stored text: find it
        end = start + (e.text || "").length;
      }
      if (start >= 0 && end > start) spans.push({ start, end, fields: [e.field] });
    }
    spans.sort((x, y) => x.start - y.start || y.end - x.end);
    const merged = [];
    for (const s of spans) {
      const last = merged[merged.length - 1];
      if (last && s.start < last.end) {
        last.end = Math.max(last.end, s.end);
        for (const f of s.fields) if (!last.fields.includes(f)) last.fields.push(f);
      } else merged.push({ start: s.start, end: s.end, fields: s.fields.slice() });
    }
    clear(box);
    let pos = 0;
    for (const s of merged) {
      if (s.start > pos) box.appendChild(document.createTextNode(text.slice(pos, s.start)));
      const kind = String(s.fields[0] || "event").replace(/[^a-z]/g, "");
      box.appendChild(el("mark", { class: "ev ev-" + kind, title: s.fields.join(", "), text: text.slice(s.start, s.end) }));
      pos = s.end;
    }
    if (pos < text.length) box.appendChild(document.createTextNode(text.slice(pos)));
  }

  // -- start -------------------------------------------------------------------------------------

  async function start() {
    readUrl();
    bindForm();
    bindList();
    state.timeline = new Timeline($("timeline"), onBrush);
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
      else setStatus(points.id.length + " events");
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
