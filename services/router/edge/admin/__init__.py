"""The admin REST API (/api/v2/admin/*, plus the seed's catalogue updates under /api/v2/models and /api/v2/providers):
one module per resource, each backed by the owning service's gRPC API. Routes get an AdminContext from
`context.admin(action)` (the permission matrix of services.auth.permissions, checked by services.router.access);
every write goes through `audit_trail.record`. Resource functions take the context, so other surfaces reuse them."""
from services.router.edge.admin import (apps, audit, invitations, keys, models, phi_policy, products, promotions,
                                        providers, tenants, users)

ROUTERS = [m.router for m in (tenants, apps, users, keys, invitations, promotions, models, providers, audit,
                              phi_policy, products)]
