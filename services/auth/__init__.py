"""auth: verifies Cognito-style JWTs and API keys; owns tenants, apps, users and the API-key lifecycle."""
