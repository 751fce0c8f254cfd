/* sitrep page: a canvas layer for Leaflet that draws every event as a dot, smooth with 50,000. */
(function () {
  "use strict";

  const S = (window.sitrep = window.sitrep || {});
  const { colourOf } = S.util;
  const PADDING = 0.25; // the canvas reaches this share of the view beyond each edge

  /** A canvas layer that draws every event as a dot, coloured by type; smooth with 50,000 events. */
  S.PointLayer = L.Layer.extend({
    /** ``state`` holds data, inBrush, order, selected and indexOf(eventId). */
    initialize(state) {
      this._state = state;
    },
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
      const d = this._state.data;
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
      const mask = this._state.inBrush;
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
      const sel = this._state.selected && this._state.indexOf(this._state.selected);
      if (sel !== null && sel !== undefined && d.hasXY[sel]) {
        const x = d.x0[sel] * scale - origin.x;
        const y = d.y0[sel] * scale - origin.y;
        ctx.lineWidth = 2.5;
        ctx.strokeStyle = "#000";
        ctx.beginPath();
        ctx.arc(x, y, r + 5, 0, 2 * Math.PI);
        ctx.stroke();
      }
      canvas.setAttribute("data-drawn", String(this._state.order.length));
    },
    /** The index of the visible event nearest to a container point, within a few pixels, or null. */
    hit(containerPoint) {
      const d = this._state.data;
      if (!d) return null;
      const map = this._map;
      const scale = this._world() / 256;
      const p = map.containerPointToLayerPoint(containerPoint).add(map.getPixelOrigin());
      const world = this._world();
      const limit = 8;
      let best = null;
      let bestD = limit * limit;
      const mask = this._state.inBrush;
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
})();
