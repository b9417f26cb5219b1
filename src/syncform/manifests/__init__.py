"""Loading manifests and syncform.yaml from disk."""
