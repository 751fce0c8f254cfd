/* sitrep page: helpers shared by its scripts (DOM building as text only, dates, colours, fetch). */
(function () {
  "use strict";

  const S = (window.sitrep = window.sitrep || {});
  const TYPE_COLOURS = {
    "Battles": "#d7301f",
    "Explosions/Remote violence": "#f28e2b",
    "Violence against civilians": "#7b3294",
    "Protests": "#2c7fb8",
    "Riots": "#1b9e77",
    "Strategic developments": "#6b6b6b",
  };
  const FALLBACK_COLOUR = "#333333";
  const DAY_MS = 86400000;

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

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
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

  S.util = { el, clear, dayToIso, isoToDay, colourOf, plural, getJson, DAY_MS };
})();
