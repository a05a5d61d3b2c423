// The REST API as the signed-in person: the credential lives in this tab's session storage only.
"use strict";
const Api = (() => {
  const KEY = "radiant.console.credential";
  const TENANT = "radiant.console.tenant";

  class ApiError extends Error {
    constructor(status, code, message, details) {
      super(message);
      this.status = status;
      this.code = code;
      this.details = details || {};
    }
  }

  function credential() { return sessionStorage.getItem(KEY); }
  function signIn(value) { sessionStorage.setItem(KEY, value.trim()); }
  function signOut() { sessionStorage.removeItem(KEY); sessionStorage.removeItem(TENANT); }
  // A super admin may look at another tenant (the API's ?tenant_id=); everyone else acts on their own.
  function tenant() { return sessionStorage.getItem(TENANT) || ""; }
  function setTenant(value) { if (value) sessionStorage.setItem(TENANT, value); else sessionStorage.removeItem(TENANT); }

  function url(path, params, scoped) {
    const u = new URL(path, location.origin);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== undefined && v !== null && v !== "") u.searchParams.set(k, v);
    }
    if (scoped && tenant() && !u.searchParams.has("tenant_id")) u.searchParams.set("tenant_id", tenant());
    return u.pathname + u.search;
  }

  async function request(method, path, {params, body, scoped = true} = {}) {
    const headers = {"Authorization": "Bearer " + credential()};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const r = await fetch(url(path, params, scoped), {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
    const payload = await r.json().catch(() => ({}));
    if (!r.ok || payload.success === false) {
      const e = payload.error || {};
      throw new ApiError(r.status, e.code || String(r.status), e.message || r.statusText, e.details);
    }
    return payload.data;
  }

  return {
    ApiError, credential, signIn, signOut, tenant, setTenant,
    get: (path, params, scoped) => request("GET", path, {params, scoped}),
    post: (path, body, params) => request("POST", path, {body: body === undefined ? {} : body, params}),
    put: (path, body, params) => request("PUT", path, {body, params}),
    patch: (path, body, params) => request("PATCH", path, {body, params}),
    del: (path, params) => request("DELETE", path, {params}),
  };
})();
