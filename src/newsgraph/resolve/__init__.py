"""Cross-document work: mentions to actors, event mentions to events."""
