"""Contributors' tools."""
