"""Metering service: admission and the usage ledger, usage reports, the audit log."""
