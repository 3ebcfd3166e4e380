from .scoping import reach


def roles(request):
    """Expose the user's reach to templates (navigation shows only what the user can open)."""
    if not hasattr(request, "user"):
        return {}
    return {"reach": reach(request.user)}
