"""The admin console at /console: server-rendered page shells (jinja2) and a little vanilla JavaScript that calls
the REST admin API with the signed-in credential, so every rule (roles, tenant scope, validation, audit) is the API's
own. Everything it loads is served from /console/static: no CDN, no inline script, under a strict CSP."""
