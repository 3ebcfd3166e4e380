"""Model-free helpers shared by every app. Nothing here imports an app of ours (docs/architecture.md)."""
