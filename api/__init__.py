"""The REST API (/api/v1/, issue 18): the outermost layer — it reads through the apps' selectors and
writes through their services; no app imports it. See docs/api.md."""
