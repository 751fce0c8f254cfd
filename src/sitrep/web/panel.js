/* sitrep page: the event panel (notes, attribution, sources, reports) and evidence highlighting. */
(function () {
  "use strict";

  const S = (window.sitrep = window.sitrep || {});
  const { el, clear, colourOf, plural, getJson } = S.util;

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
    badges.appendChild(el("span", { class: "badge", text: plural(ev.source_count, "source") + ", " + ev.independent_sources + " independent" }));
    badges.appendChild(el("span", { class: "badge", text: plural(ev.mention_count, "report") }));
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

  S.panel = { renderEvent, highlight };
})();
