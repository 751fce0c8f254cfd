/* sitrep page: the timeline, a stacked histogram of events per day with a brush to pick a period
 * with the mouse or the keyboard (it is a focusable slider whose value is the period). */
(function () {
  "use strict";

  const S = (window.sitrep = window.sitrep || {});
  const { colourOf, dayToIso } = S.util;
  const MIN_SPAN = 31; // days the axis covers at least

  /** A stacked histogram of events per day (or per few days), with a brush to pick a period. */
  function Timeline(canvas, state, onBrush) {
    this.canvas = canvas;
    this.state = state;
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
    canvas.addEventListener("keydown", (e) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const range = this.keyRange(e.key, e.shiftKey);
      if (range === undefined) return;
      e.preventDefault();
      this.onBrush(range);
    });
    window.addEventListener("resize", () => this.draw());
  }

  Timeline.prototype.setData = function (d) {
    this.data = d;
    this.draw();
  };

  Timeline.prototype.layout = function () {
    const d = this.data;
    const width = this.canvas.clientWidth || 600;
    const real = d.dayMax - d.dayMin + 1;
    const span = Math.max(real, MIN_SPAN); // a few days are drawn inside a month, not stretched
    const start = d.dayMin - Math.floor((span - real) / 2);
    const binDays = Math.max(1, Math.ceil(span / Math.max(1, Math.floor(width / 3))));
    const bins = Math.ceil(span / binDays);
    return { width, span, binDays, bins, start };
  };

  Timeline.prototype.xToDay = function (x) {
    const l = this.layout();
    const day = l.start + Math.floor((x / l.width) * l.bins) * l.binDays;
    return Math.max(this.data.dayMin, Math.min(this.data.dayMax, day));
  };

  /** The period a key asks for: [from, to], null for all dates, undefined for a key that is not ours.
   * Arrows move the period by one bar, Shift+arrows move its end, Home and End move it to the start
   * or the end of the data, Escape and Delete clear it. The period stays inside the data. */
  Timeline.prototype.keyRange = function (key, shift) {
    const d = this.data;
    if (!d || d.dayMin === null) return undefined;
    const b = this.state.brush;
    if (key === "Escape" || key === "Delete" || key === "Backspace") return b ? null : undefined;
    const step = this.layout().binDays;
    const first = [d.dayMin, Math.min(d.dayMax, d.dayMin + step - 1)];
    const last = [Math.max(d.dayMin, d.dayMax - step + 1), d.dayMax];
    if (!b) {
      // nothing picked yet: start from the edge the key points away from
      if (key === "ArrowRight" || key === "Home") return first;
      if (key === "ArrowLeft" || key === "End") return last;
      return undefined;
    }
    const span = b[1] - b[0];
    const within = (from) => {
      if (span >= d.dayMax - d.dayMin) return [d.dayMin, d.dayMax];
      const a = Math.max(d.dayMin, Math.min(d.dayMax - span, from));
      return [a, a + span];
    };
    if (shift && key === "ArrowRight") return [b[0], Math.max(b[0], Math.min(d.dayMax, b[1] + step))];
    if (shift && key === "ArrowLeft") return [b[0], Math.max(b[0], b[1] - step)];
    if (key === "ArrowRight") return within(b[0] + step);
    if (key === "ArrowLeft") return within(b[0] - step);
    if (key === "Home") return within(d.dayMin);
    if (key === "End") return within(d.dayMax - span);
    return undefined;
  };

  /** Say the period to assistive technology: the slider's value is the picked dates. */
  Timeline.prototype.describe = function () {
    const canvas = this.canvas;
    const d = this.data;
    if (!d || d.dayMin === null) {
      canvas.setAttribute("aria-valuetext", "No dated events");
      for (const k of ["aria-valuemin", "aria-valuemax", "aria-valuenow"]) canvas.setAttribute(k, "0");
      return;
    }
    const b = this.state.brush;
    canvas.setAttribute(
      "aria-valuetext",
      b
        ? "Dates " + dayToIso(b[0]) + " to " + dayToIso(b[1])
        : "All dates (" + dayToIso(d.dayMin) + " to " + dayToIso(d.dayMax) + ")",
    );
    const now = b ? Math.max(d.dayMin, Math.min(d.dayMax, b[0])) : d.dayMin;
    canvas.setAttribute("aria-valuemin", String(d.dayMin));
    canvas.setAttribute("aria-valuemax", String(d.dayMax));
    canvas.setAttribute("aria-valuenow", String(now));
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
      this.describe();
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
    let brush = this.state.brush;
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
    ctx.fillText(dayToIso(l.start), 2, plotH + 2);
    const last = dayToIso(l.start + l.bins * l.binDays - 1);
    ctx.fillText(last, l.width - ctx.measureText(last).width - 2, plotH + 2);
    ctx.fillText("max " + max + " per " + (l.binDays === 1 ? "day" : l.binDays + " days"), l.width / 2 - 40, plotH + 2);
    canvas.setAttribute("data-bins", String(l.bins));
    this.describe();
  };

  S.Timeline = Timeline;
})();
