// One function per console page: it reads through the REST API and offers only the writes the permission matrix
// allows the signed-in person (me.allowed, from GET /api/v2/me); the API checks every one of them again.
"use strict";
const Views = (() => {
  const {el, table, form, pill, when, json, act, status} = Ui;
  const STATES = ["OFF", "COLD", "WARM", "HOT", "AUTOMATIC"];
  const ROLES = ["super_admin", "admin", "operator", "auditor"];

  function filterBox(onInput, placeholder) {
    return el("label", {}, "Filter", el("input", {type: "search", placeholder, oninput: e => onInput(e.target.value.toLowerCase())}));
  }

  function matches(row, text) { return !text || JSON.stringify(row).toLowerCase().includes(text); }

  // A listing with a text filter, reloaded after every write (and every `refresh` ms when given).
  function listing(root, toolbar, {load, render, refresh, placeholder}) {
    let rows = [], text = "";
    const draw = () => root.replaceChildren(render(rows.filter(r => matches(r, text))));
    const reload = async () => {
      try { rows = await load(); draw(); } catch (err) { Ui.failed(err); }
    };
    toolbar.append(filterBox(value => { text = value; draw(); }, placeholder || "name, id, status…"));
    if (refresh) setInterval(reload, refresh);
    return reload;
  }

  function observed(o) {
    if (!o) return "";
    return `${o.ready_replicas || 0}/${o.desired_replicas || 0} ${o.phase || ""}`.trim();
  }

  const views = {
    async models(me, root, toolbar) {
      const operate = me.allowed.includes("catalog.operate"), write = me.allowed.includes("catalog.write");
      const providers = (await Api.get("/api/v2/admin/providers", {limit: 500}, false)).providers;
      const providerName = Object.fromEntries(providers.map(p => [p.id, p.name]));
      const reload = listing(root, toolbar, {
        load: async () => (await Api.get("/api/v2/admin/models", {limit: 500}, false)).models,
        refresh: 5000,  // thermal state and replicas as the operator reports them
        render: rows => table([
          ["Model", m => el("span", {}, el("strong", {}, m.name), el("br"), el("span", {class: "muted"}, m.display_name || ""))],
          ["Provider", m => providerName[m.provider_id] || m.provider_id],
          ["Status", m => pill(m.status)],
          ["Thermal state", m => operate && m.thermal_state
            ? el("select", {"aria-label": `Thermal state of ${m.name}`, "data-model": m.name,
                            onchange: e => act(`${m.name} is now ${e.target.value}`,
                                               () => Api.patch(`/api/v2/admin/models/${m.id}`, {thermal_state: e.target.value}), reload)},
                 STATES.map(s => el("option", {value: s, selected: s === m.thermal_state}, s)))
            : el("span", {"data-state": m.name}, pill(m.thermal_state))],
          ["Replicas (observed)", m => el("span", {"data-observed": m.name}, observed(m.observed))],
          ["Message", m => (m.observed && m.observed.message) || ""],
          ...(write ? [["", m => el("button", {class: "secondary", type: "button", onclick: () => {
            const name = prompt(`Display name of ${m.name}`, m.display_name || "");
            if (name !== null) act(`${m.name} renamed`, () => Api.patch(`/api/v2/admin/models/${m.id}`, {display_name: name}), reload);
          }}, "Edit")]] : []),
        ], rows, "No models."),
      });
      if (write) {
        root.after(form("Create a model", [
          {name: "name", label: "Name", required: true}, {name: "display_name", label: "Display name", required: true},
          {name: "provider_id", label: "Provider id", options: providers.map(p => p.id)},
          {name: "status", label: "Status", options: ["inactive", "active", "coming_soon"]},
          {name: "context_window", label: "Context window", type: "number", value: "8192"},
        ], "Create", v => act(`Model ${v.name} created`, () => Api.post("/api/v2/admin/models", {
          ...v, context_window: Number(v.context_window) || 0, type: "external"}), reload)));
      }
      await reload();
    },

    async providers(me, root, toolbar) {
      const operate = me.allowed.includes("catalog.operate");
      const reload = listing(root, toolbar, {
        load: async () => (await Api.get("/api/v2/admin/providers", {limit: 500}, false)).providers,
        render: rows => table([
          ["Provider", p => el("strong", {}, p.name)], ["Id", p => p.id], ["Type", p => p.type],
          ["Status", p => operate
            ? el("select", {"aria-label": `Status of ${p.name}`, onchange: e => act(`${p.name} is now ${e.target.value}`,
                 () => Api.patch(`/api/v2/admin/providers/${p.id}`, {status: e.target.value}), reload)},
                 ["active", "inactive", "deprecated"].map(s => el("option", {value: s, selected: s === p.status}, s)))
            : pill(p.status)],
          ["HIPAA", p => p.hipaa_compliant ? "yes" : "no"], ["Base URL", p => p.base_url || ""],
        ], rows),
      });
      await reload();
    },

    async tenants(me, root, toolbar) {
      const write = me.allowed.includes("tenants.write");
      const reload = listing(root, toolbar, {
        load: async () => write ? (await Api.get("/api/v2/admin/tenants", {limit: 500}, false)).tenants
                                : [(await Api.get(`/api/v2/admin/tenants/${me.tenantId}`, {}, false)).tenant],
        render: rows => table([
          ["Tenant", t => el("strong", {}, t.name)], ["Id", t => t.id], ["Status", t => pill(t.status)], ["Tier", t => t.tier],
          ["Created", t => when(t.created_at)],
          ...(write ? [["", t => el("span", {},
            el("button", {class: "secondary", type: "button", onclick: () => { Api.setTenant(t.id); status(`Now viewing tenant ${t.id}`, "ok"); }}, "View as"),
            " ",
            t.status === "active"
              ? el("button", {class: "danger", type: "button", onclick: () => act(`${t.id} suspended`, () => Api.post(`/api/v2/admin/tenants/${t.id}/suspend`), reload)}, "Suspend")
              : el("button", {type: "button", onclick: () => act(`${t.id} reactivated`, () => Api.post(`/api/v2/admin/tenants/${t.id}/reactivate`), reload)}, "Reactivate"))]] : []),
        ], rows),
      });
      if (write) root.after(form("Create a tenant", [{name: "id", label: "Id", required: true}, {name: "name", label: "Name", required: true}],
        "Create", v => act(`Tenant ${v.id} created`, () => Api.post("/api/v2/admin/tenants", v), reload)));
      await reload();
    },

    async apps(me, root, toolbar) {
      const reload = listing(root, toolbar, {
        load: async () => (await Api.get("/api/v2/admin/apps", {limit: 500})).apps,
        render: rows => table([["App", a => el("strong", {}, a.name)], ["Id", a => a.id], ["Created", a => when(a.created_at)]], rows),
      });
      if (me.allowed.includes("apps.write")) root.after(form("Create an app", [{name: "name", label: "Name", required: true}],
        "Create", v => act(`App ${v.name} created`, () => Api.post("/api/v2/admin/apps", v), reload)));
      await reload();
    },

    async users(me, root, toolbar) {
      const write = me.allowed.includes("users.write");
      const reload = listing(root, toolbar, {
        load: async () => (await Api.get("/api/v2/admin/users", {limit: 500})).users,
        render: rows => table([
          ["User", u => el("strong", {}, u.email)], ["Id", u => u.id], ["Roles", u => (u.roles || []).join(", ")],
          ["Status", u => pill(u.status)], ["Created", u => when(u.created_at)],
          ...(write ? [["", u => u.status === "disabled"
            ? el("button", {type: "button", onclick: () => act(`${u.email} enabled`, () => Api.post(`/api/v2/admin/users/${u.id}/enable`), reload)}, "Enable")
            : el("button", {class: "danger", type: "button", onclick: () => act(`${u.email} disabled`, () => Api.post(`/api/v2/admin/users/${u.id}/disable`), reload)}, "Disable")]] : []),
        ], rows),
      });
      if (write) root.after(form("Create a user (no admin role: those come by invitation or promotion)",
        [{name: "email", label: "E-mail", type: "email", required: true}],
        "Create", v => act(`User ${v.email} created`, () => Api.post("/api/v2/admin/users", v), reload)));
      await reload();
    },

    async keys(me, root, toolbar) {
      const write = me.allowed.includes("keys.write");
      const secretBox = el("div", {id: "secret"});
      const showSecret = created => {
        if (!created) return;
        secretBox.replaceChildren(el("div", {class: "secret", role: "alert"},
          el("strong", {}, `Secret of ${created.key.name}: `), el("code", {"data-secret": ""}, created.secret),
          el("p", {}, created.notice)));
      };
      const reload = listing(root, toolbar, {
        load: async () => (await Api.get("/api/v2/admin/keys", {limit: 500, include_revoked: "true"})).keys,
        render: rows => table([
          ["Key", k => el("strong", {}, k.name)], ["Prefix", k => k.prefix ? el("code", {}, k.prefix) : ""],
          ["Permissions", k => (k.permissions || []).join(", ")], ["Tier", k => k.key_tier || ""],
          ["State", k => el("span", {"data-key-state": k.name}, pill(k.revoked ? "revoked" : k.replaced_by ? "rotated" : "active"))],
          ["Created", k => when(k.created_at)], ["Last used", k => when(k.last_used_at)], ["Expires", k => when(k.expires_at)],
          ...(write ? [["", k => k.revoked ? "" : el("span", {},
            el("button", {class: "secondary", type: "button", onclick: async () => showSecret(await act(`${k.name} rotated`,
              () => Api.post(`/api/v2/admin/keys/${k.id}/rotate`, {grace_period_seconds: 3600}), reload))}, "Rotate"), " ",
            el("button", {class: "danger", type: "button", "data-revoke": k.name, onclick: () => act(`${k.name} revoked`,
              () => Api.post(`/api/v2/admin/keys/${k.id}/revoke`), reload)}, "Revoke"))]] : []),
        ], rows),
      });
      if (write) {
        root.before(secretBox);
        root.after(form("Create an API key", [
          {name: "name", label: "Name", required: true},
          {name: "permissions", label: "Permissions", options: ["completions", "completions,embeddings", "completions,embeddings,health"]},
          {name: "key_tier", label: "Tier", options: ["", "free", "basic", "premium", "enterprise"]},
        ], "Create key", async v => showSecret(await act(`Key ${v.name} created`, () => Api.post("/api/v2/admin/keys", {
          name: v.name, permissions: v.permissions.split(","), ...(v.key_tier ? {key_tier: v.key_tier} : {})}), reload))));
      }
      await reload();
    },

    async invitations(me, root, toolbar) {
      const write = me.allowed.includes("invitations.write");
      const linkBox = el("div");
      const reload = listing(root, toolbar, {
        load: async () => (await Api.get("/api/v2/admin/invitations", {limit: 500})).invitations,
        render: rows => table([
          ["E-mail", i => i.email], ["Role", i => i.role], ["Status", i => pill(i.status)], ["Expires", i => when(i.expires_at)],
          ...(write ? [["", i => i.status === "pending" ? el("button", {class: "danger", type: "button",
            onclick: () => act(`Invitation of ${i.email} revoked`, () => Api.del(`/api/v2/admin/invitations/${i.id}`), reload)}, "Revoke") : ""]] : []),
        ], rows),
      });
      if (write) {
        root.before(linkBox);
        root.after(form("Invite an admin", [{name: "email", label: "E-mail", type: "email", required: true},
          {name: "role", label: "Role", options: ROLES.slice(1)}], "Invite", async v => {
          const out = await act(`Invitation sent to ${v.email}`, () => Api.post("/api/v2/admin/invitations", v), reload);
          if (out && out.link) linkBox.replaceChildren(el("div", {class: "secret"}, "Acceptance link (shown once): ", el("code", {}, out.link)));
        }));
      }
      await reload();
    },

    async promotions(me, root, toolbar) {
      const write = me.allowed.includes("promotions.write");
      const reload = listing(root, toolbar, {
        load: async () => (await Api.get("/api/v2/admin/promotions", {limit: 500})).promotions,
        render: rows => table([
          ["User", p => p.user_id], ["Role", p => p.role], ["Status", p => pill(p.status)], ["Requested by", p => p.requested_by],
          ["Reason", p => p.reason || ""], ["Expires", p => when(p.expires_at)],
          ...(write ? [["", p => p.status === "pending" ? el("span", {},
            el("button", {type: "button", onclick: () => act("Promotion approved", () => Api.post(`/api/v2/admin/promotions/${p.id}/approve`), reload)}, "Approve"), " ",
            el("button", {class: "danger", type: "button", onclick: () => act("Promotion rejected", () => Api.post(`/api/v2/admin/promotions/${p.id}/reject`), reload)}, "Reject")) : ""]] : []),
        ], rows),
      });
      if (write) root.after(form("Request a promotion (a second person approves)", [{name: "user_id", label: "User id", required: true},
        {name: "role", label: "Role", options: ROLES}, {name: "reason", label: "Reason"}], "Request",
        v => act("Promotion requested", () => Api.post("/api/v2/admin/promotions", v), reload)));
      await reload();
    },

    async usage(me, root, toolbar) {
      const days = el("select", {name: "days", "aria-label": "Period"}, [1, 7, 30].map(d => el("option", {value: d, selected: d === 7}, `last ${d} day${d > 1 ? "s" : ""}`)));
      toolbar.append(el("label", {}, "Period", days));
      const usd = v => "$" + Number(v).toFixed(Number(v) < 1 ? 6 : 2);
      const draw = async () => {
        try {
          const n = Number(days.value), today = new Date(), start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - (n - 1) * 86400000;
          const bounds = [...Array(n).keys()].map(i => [new Date(start + i * 86400000), new Date(start + (i + 1) * 86400000)]);
          const end = new Date(Math.min(Date.now() + 1000, start + n * 86400000));
          const [total, perDay, limits] = await Promise.all([
            Api.get("/api/v2/usage", {start: new Date(start).toISOString(), end: end.toISOString()}),
            Promise.all(bounds.map(([s, e]) => Api.get("/api/v2/usage", {start: s.toISOString(), end: new Date(Math.min(e, end)).toISOString()}))),
            Api.get("/api/v2/limits", {}, false)]);
          const group = key => Object.entries(total.breakdown.reduce((acc, b) => ({...acc, [b[key] || "?"]: (acc[b[key] || "?"] || 0) + Number(b.cost)}), {}))
            .map(([label, value]) => ({label, value}));
          root.replaceChildren(
            el("p", {}, `Total ${usd(total.totalCost)} cost, ${usd(total.totalBilled)} billed, ${total.totalRequests} requests (tenant ${total.tenantId}).`),
            el("div", {class: "charts"},
              Charts.bars("Cost by day (USD)", perDay.map((d, i) => ({label: bounds[i][0].toISOString().slice(5, 10), value: Number(d.totalCost)})), usd),
              Charts.bars("Requests by day", perDay.map((d, i) => ({label: bounds[i][0].toISOString().slice(5, 10), value: d.totalRequests})), String),
              Charts.bars("Cost by model (USD)", group("modelName"), usd),
              Charts.bars("Cost by provider (USD)", group("providerName"), usd)),
            el("h3", {}, "Spend against budgets and limits (yours)"),
            table([["Scope", l => `${l.scope}${l.scopeId ? " " + l.scopeId : ""}`], ["Limit", l => l.dimension],
                   ["Used", l => String(l.used)], ["Of", l => String(l.limit)],
                   ["", l => el("div", {class: "meter", title: `${l.used} of ${l.limit}`}, el("span", {style: null, "data-pct": pct(l)}))],
                   ["Resets", l => l.resetsAt ? when(l.resetsAt) : ""]], limits.limits, "No limits or budgets apply."));
          root.querySelectorAll("[data-pct]").forEach(s => { s.style.width = s.dataset.pct + "%"; });
        } catch (err) { Ui.failed(err); }
      };
      const pct = l => Math.min(100, Math.round(100 * Number(l.used) / Math.max(Number(l.limit), 1e-12)));
      days.addEventListener("change", draw);
      await draw();
    },

    async requests(me, root, toolbar) {
      const filters = {status: "", model: "", surface: ""};
      const inputs = [
        ["status", ["", "success", "error", "blocked"]], ["surface", ["", "openai", "anthropic", "bedrock", "v2", "grpc", "graphql"]],
      ].map(([name, options]) => el("label", {}, name, el("select", {name, onchange: e => { filters[name] = e.target.value; reload(); }},
        options.map(o => el("option", {value: o}, o || "any")))));
      toolbar.append(...inputs, el("label", {}, "model", el("input", {name: "model", onchange: e => { filters.model = e.target.value.trim(); reload(); }})));
      const reload = async () => {
        try {
          const rows = (await Api.get("/api/v2/requests", {...filters, limit: 100})).requests;
          root.replaceChildren(table([
            ["When", r => when(r.createdAt)], ["Surface", r => r.surface], ["Model", r => r.model || r.requestedModel || ""],
            ["Status", r => pill(r.status)], ["HTTP", r => r.httpStatus], ["Error", r => r.errorCode || ""],
            ["Tokens", r => r.usage.totalTokens], ["Cost", r => r.cost], ["Latency ms", r => r.latencyMs],
            ["PHI found", r => Object.entries(r.phiCategories || {}).map(([k, v]) => `${k}×${v}`).join(" ")],
            ["User", r => r.userId || r.apiKeyId || ""],
          ], rows, "No requests in this filter."));
        } catch (err) { Ui.failed(err); }
      };
      await reload();
    },

    async audit(me, root, toolbar) {
      const filters = {action: "", resource_type: "", actor: ""};
      toolbar.append(...Object.keys(filters).map(name => el("label", {}, name.replace("_", " "),
        el("input", {name, onchange: e => { filters[name] = e.target.value.trim(); reload(); }}))));
      const reload = async () => {
        try {
          const rows = (await Api.get("/api/v2/admin/audit-logs", {...filters, limit: 200})).entries;
          root.replaceChildren(table([
            ["When", a => when(a.created_at)], ["Actor", a => a.admin_id || a.actor_key_id || ""], ["Role", a => a.actor_role],
            ["Action", a => el("code", {}, a.action)], ["Resource", a => `${a.resource_type} ${a.resource_id}`],
            ["Before", a => json(a.before)], ["After", a => json(a.after)],
          ], rows, "No audit entries in this filter."));
        } catch (err) { Ui.failed(err); }
      };
      await reload();
    },

    async phi(me, root) {
      const write = me.allowed.includes("phi_policy.write");
      const reload = async () => {
        const p = await Api.get("/api/v2/admin/phi/policy");
        const fields = [
          {name: "mode", label: "Mode", options: ["auto", "manual", "disabled"], value: p.mode},
          {name: "secrets_action", label: "Secrets", options: ["redact", "reject"], value: p.secrets_action},
          {name: "injection_action", label: "Prompt injection", options: ["off", "flag", "block"], value: p.injection_action},
          {name: "pii_action", label: "PHI found", options: ["redact", "block"], value: p.pii_action},
        ];
        const categories = table([["Category", ([c]) => c], ["On", ([, on]) => on ? "yes" : "no"]], Object.entries(p.categories));
        root.replaceChildren(
          el("p", {}, `Tenant ${p.tenant_id}: ${p.is_default ? "the default policy" : "its own policy"}; re-identification `,
             p.reidentification.allowed ? "allowed" : "not allowed", p.reidentification.requires_approval ? " (with approval)" : "",
             `, mappings kept ${p.reidentification.mapping_ttl_hours} h.`),
          write ? form("Policy", fields, "Save policy", v => act("PHI policy saved", () => Api.put("/api/v2/admin/phi/policy", {
            ...v, categories: p.categories, reidentification: p.reidentification}), reload))
                : table([["Setting", f => f.label], ["Value", f => f.value]], fields),
          el("h3", {}, "Categories"), categories);
      };
      try { await reload(); } catch (err) { Ui.failed(err); }
    },
  };

  return views;
})();
