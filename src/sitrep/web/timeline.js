/* sitrep page: the timeline, a stacked histogram of events per day with a brush to pick a period. */
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
  };

  S.Timeline = Timeline;
})();
