// Bar charts drawn as SVG in the page (no chart library): one bar per label, values labelled.
"use strict";
const Charts = (() => {
  const NS = "http://www.w3.org/2000/svg";

  function svg(tag, attrs, text) {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // items: [{label, value}]; format: value -> text
  function bars(title, items, format) {
    const width = 480, height = 220, left = 8, bottom = 46, top = 18;
    const max = Math.max(...items.map(i => i.value), 0);
    const slot = (width - left * 2) / Math.max(items.length, 1);
    const chart = svg("svg", {viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title});
    chart.append(svg("title", {}, title));
    chart.append(svg("line", {class: "axis", x1: left, x2: width - left, y1: height - bottom, y2: height - bottom}));
    items.forEach((item, n) => {
      const h = max > 0 ? (item.value / max) * (height - bottom - top) : 0;
      const x = left + n * slot + slot * 0.15;
      const g = svg("g", {"data-label": item.label, "data-value": String(item.value)});
      g.append(svg("rect", {class: "bar", x, y: height - bottom - h, width: slot * 0.7, height: Math.max(h, 0)}));
      g.append(svg("text", {x: x + slot * 0.35, y: height - bottom - h - 4, "text-anchor": "middle"}, format(item.value)));
      g.append(svg("text", {x: x + slot * 0.35, y: height - bottom + 14, "text-anchor": "middle"},
                   item.label.length > 12 ? item.label.slice(0, 11) + "…" : item.label));
      chart.append(g);
    });
    const box = document.createElement("figure");
    box.className = "chart";
    box.dataset.chart = title;
    const caption = document.createElement("figcaption");
    caption.textContent = title;
    box.append(caption, chart);
    return box;
  }

  return {bars};
})();
