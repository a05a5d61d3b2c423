// Small DOM helpers: elements (text only, never HTML strings), tables, forms and the status line.
"use strict";
const Ui = (() => {
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function status(message, kind) {
    const line = document.getElementById("status");
    line.textContent = message || "";
    line.className = "status " + (kind || "");
  }

  function failed(err) {
    const fields = err.details && Object.keys(err.details).length
      ? " (" + Object.entries(err.details).map(([k, v]) => k + ": " + [].concat(v).join(", ")).join("; ") + ")" : "";
    status((err.status ? err.status + " " : "") + err.message + fields, "error");
  }

  // Runs an action from a control: its failure is shown, its success reported, then the view reloaded.
  async function act(label, fn, reload) {
    try {
      const out = await fn();
      status(label, "ok");
      if (reload) await reload();
      return out;
    } catch (err) {
      failed(err);
      return undefined;
    }
  }

  function pill(value) { return value ? el("span", {class: "pill " + value}, value) : ""; }

  // columns: [[header, row => cell]]
  function table(columns, rows, empty) {
    if (!rows.length) return el("p", {class: "muted"}, empty || "Nothing to show.");
    return el("table", {},
      el("thead", {}, el("tr", {}, columns.map(([h]) => el("th", {scope: "col"}, h)))),
      el("tbody", {}, rows.map(row => el("tr", {}, columns.map(([, cell]) => el("td", {}, cell(row)))))));
  }

  // fields: [{name, label, type?, options?, value?, required?}] -> a form calling submit(values)
  function form(title, fields, submitLabel, submit) {
    const inputs = {};
    const controls = fields.map(f => {
      const input = f.options
        ? el("select", {name: f.name}, f.options.map(o => el("option", {value: o, selected: o === f.value}, o)))
        : el("input", {name: f.name, type: f.type || "text", value: f.value ?? "", required: f.required,
                       placeholder: f.placeholder});
      inputs[f.name] = input;
      return el("label", {}, f.label, input);
    });
    const node = el("form", {class: "inline-form", "aria-label": title}, controls, el("button", {type: "submit"}, submitLabel));
    node.addEventListener("submit", async event => {
      event.preventDefault();
      const values = {};
      for (const [k, input] of Object.entries(inputs)) values[k] = input.value.trim();
      await submit(values, node);
      if (!document.getElementById("status").classList.contains("error")) node.reset();
    });
    return el("div", {class: "card"}, el("h3", {}, title), node);
  }

  function when(date) { return date ? new Date(date).toISOString().replace("T", " ").slice(0, 19) : ""; }
  function json(value) { return value === undefined || value === null ? "" : el("pre", {}, JSON.stringify(value, null, 1)); }

  return {el, status, failed, act, pill, table, form, when, json};
})();
