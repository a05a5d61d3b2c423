// Starts a console page: the sign-in form, or (signed in) who the caller is, the navigation it may use, its view.
"use strict";
(() => {
  const view = document.body.dataset.view;

  async function signInPage() {
    const formNode = document.getElementById("signin-form");
    formNode.addEventListener("submit", async event => {
      event.preventDefault();
      Api.signIn(document.getElementById("credential").value);
      try {
        const me = await Api.get("/api/v2/me", {}, false);
        if (!me.allowed.some(a => a.startsWith("catalog.") || a.startsWith("tenants."))) {
          Api.signOut();
          Ui.status("This credential has no admin role (an admin, operator, auditor or super admin is needed).", "error");
          return;
        }
        location.assign("/console/models");
      } catch (err) {
        Api.signOut();
        Ui.failed(err);
      }
    });
  }

  // Which action makes each page readable (the nav hides the others).
  const NEEDS = {models: "catalog.read", providers: "catalog.read", tenants: "tenants.read", apps: "apps.read",
                 users: "users.read", keys: "keys.read", invitations: "invitations.read", promotions: "promotions.read",
                 usage: "usage.read", requests: "requests.read", audit: "audit.read", phi: "phi_policy.read"};

  async function viewPage() {
    if (!Api.credential()) { location.assign("/console/signin"); return; }
    let me;
    try {
      me = await Api.get("/api/v2/me", {}, false);
    } catch (err) {
      if (err.status === 401) { Api.signOut(); location.assign("/console/signin"); return; }
      Ui.failed(err);
      return;
    }
    const scope = Api.tenant() && Api.tenant() !== me.tenantId ? ` · viewing ${Api.tenant()}` : "";
    document.getElementById("whoami").textContent =
      `${me.userId || me.keyId || "key"} · ${me.roles.join(", ") || "no role"} · tenant ${me.tenantId}${scope}`;
    document.querySelectorAll("[data-nav]").forEach(a => { a.hidden = !me.allowed.includes(NEEDS[a.dataset.nav]); });
    if (!me.allowed.includes(NEEDS[view])) {
      Ui.status(`Your roles (${me.roles.join(", ") || "none"}) do not allow this page.`, "error");
      document.getElementById("content").replaceChildren();
      return;
    }
    const writes = me.allowed.filter(a => a.endsWith(".write") || a === "catalog.operate");
    if (!writes.length) Ui.status("Read-only: your roles allow no changes.");
    await Views[view](me, document.getElementById("content"), document.getElementById("toolbar"));
  }

  document.addEventListener("DOMContentLoaded", () => {
    const out = document.getElementById("signout");
    if (out) out.addEventListener("click", () => { Api.signOut(); location.assign("/console/signin"); });
    (view === "signin" ? signInPage() : viewPage()).catch(Ui.failed);
  });
})();
