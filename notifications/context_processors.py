from django.utils.functional import SimpleLazyObject


def unread_messages(request):
    """The header's unread count: one COUNT query, and only on pages that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from .selectors import unread_count

        return unread_count(user=user)

    return {"notifications_unread": SimpleLazyObject(count)}
