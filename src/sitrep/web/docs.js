/* The API reference page: renders /openapi.json as text (no inline code, so a strict CSP works). */
(function () {
  "use strict";

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function resolve(spec, schema) {
    let s = schema || {};
    for (let i = 0; i < 5 && s.$ref; i++) {
      const parts = s.$ref.replace(/^#\//, "").split("/");
      s = parts.reduce((acc, k) => (acc ? acc[k] : undefined), spec) || {};
    }
    return s;
  }

  function typeOf(spec, schema) {
    const s = resolve(spec, schema);
    if (s.enum) return s.enum.join(" | ");
    if (s.anyOf) return s.anyOf.map((x) => typeOf(spec, x)).join(" or ");
    if (s.type === "array") return "list of " + typeOf(spec, s.items);
    const limits = [];
    if (s.minimum !== undefined) limits.push("≥ " + s.minimum);
    if (s.maximum !== undefined) limits.push("≤ " + s.maximum);
    if (s.maxLength !== undefined) limits.push("≤ " + s.maxLength + " chars");
    return (s.type || s.title || "object") + (limits.length ? " (" + limits.join(", ") + ")" : "");
  }

  function render(spec) {
    const main = document.getElementById("endpoints");
    main.textContent = "";
    main.appendChild(el("p", null, spec.info.title + " " + spec.info.version + " — " + (spec.info.description || "")));
    for (const [path, ops] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const sec = el("section", "op");
        const head = el("div");
        head.appendChild(el("span", "method " + method, method.toUpperCase()));
        head.appendChild(el("span", "path", path));
        head.appendChild(el("span", "summary", op.summary || ""));
        sec.appendChild(head);
        if (op.description) sec.appendChild(el("p", null, op.description));
        const params = op.parameters || [];
        if (params.length) {
          const table = el("table");
          const tr = el("tr");
          ["parameter", "in", "type", "default", "description"].forEach((h) => tr.appendChild(el("th", null, h)));
          table.appendChild(tr);
          for (const p of params) {
            const row = el("tr");
            const s = resolve(spec, p.schema);
            row.appendChild(el("td", "path", p.name + (p.required ? " *" : "")));
            row.appendChild(el("td", null, p.in));
            row.appendChild(el("td", null, typeOf(spec, p.schema)));
            row.appendChild(el("td", null, s.default === undefined ? "" : JSON.stringify(s.default)));
            row.appendChild(el("td", null, p.description || s.description || ""));
            table.appendChild(row);
          }
          sec.appendChild(table);
        }
        if (op.requestBody) {
          const content = op.requestBody.content || {};
          const media = Object.keys(content)[0];
          const body = resolve(spec, content[media] && content[media].schema);
          const fields = Object.keys(body.properties || {}).join(", ");
          sec.appendChild(el("div", "codes", "body (" + media + "): " + (body.title || "") + " {" + fields + "}"));
        }
        const codes = Object.entries(op.responses || {}).map(([c, r]) => c + " " + (r.description || ""));
        sec.appendChild(el("div", "codes", "responses: " + codes.join(" · ")));
        main.appendChild(sec);
      }
    }
  }

  fetch("openapi.json")
    .then((r) => r.json())
    .then(render)
    .catch((err) => {
      document.getElementById("endpoints").textContent = "could not load the schema: " + err.message;
    });
})();
