"""Vendor integrations: request builders, clients and payload mappings."""
