"""Site: the build pipeline."""
