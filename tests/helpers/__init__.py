"""Test helpers shared by tests/core and tests/migrations (no Qt, no mocks)."""
