"""MCP-style context providers: pluggable sources of context the router injects into a tenant's chat requests."""
