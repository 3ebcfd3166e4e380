"""The incident register (C7) and the work register (Activity): lists, forms, the public case list (W5)."""
