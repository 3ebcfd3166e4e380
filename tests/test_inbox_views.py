"""The inbox (issue 8): unread count in the header, list, mark read, link to the thing; preferences."""

import pytest
from django.urls import reverse

from notifications.context_processors import unread_messages
from notifications.models import ChannelPreference, ContactDetails, Message
from tests import factories as f
from tests.factories_notifications import MessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_client(client, aic_user):
    client.force_login(aic_user)
    return client


def test_inbox_requires_login(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_inbox_lists_own_messages_only_with_the_unread_count_in_the_header(user_client, aic_user, office):
    MessageFactory.create_batch(3, user=aic_user, title="工商提醒")
    MessageFactory(user=aic_user, title="已读的", read_at="2026-03-01T08:00:00+08:00")
    MessageFactory(user=office, title="办公室的消息")
    response = user_client.get(reverse("notifications:inbox"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("工商提醒") == 3 and "已读的" in html
    assert "办公室的消息" not in html
    assert 'id="nav-unread">3<' in html


def test_unread_filter_shows_unread_only(user_client, aic_user):
    MessageFactory(user=aic_user, title="未读消息")
    MessageFactory(user=aic_user, title="旧消息", read_at="2026-03-01T08:00:00+08:00")
    html = user_client.get(reverse("notifications:inbox") + "?show=unread").content.decode()
    assert "未读消息" in html and "旧消息" not in html


def test_header_count_costs_one_query(rf, aic_user, django_assert_num_queries):
    MessageFactory.create_batch(5, user=aic_user)
    request = rf.get("/")
    request.user = aic_user
    context = unread_messages(request)
    with django_assert_num_queries(1):
        assert int(str(context["notifications_unread"])) == 5
        assert context["notifications_unread"]  # evaluated once, reused


def test_no_header_count_for_anonymous(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    assert unread_messages(request) == {}


@pytest.mark.parametrize("n", [3, 30])
def test_inbox_query_count_does_not_grow(user_client, aic_user, n, django_assert_max_num_queries):
    MessageFactory.create_batch(n, user=aic_user)
    with django_assert_max_num_queries(10):  # session, user, roles, page count + rows, upcoming, unread …
        assert user_client.get(reverse("notifications:inbox")).status_code == 200


def test_mark_read(user_client, aic_user):
    message = MessageFactory(user=aic_user)
    response = user_client.post(reverse("notifications:read", args=[message.pk]), {"next": "/notifications/"})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    message.refresh_from_db()
    assert message.read_at is not None


def test_mark_read_ignores_an_offsite_next(user_client, aic_user):
    message = MessageFactory(user=aic_user)
    response = user_client.post(
        reverse("notifications:read", args=[message.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications:inbox")


def test_open_marks_read_and_goes_to_the_thing(user_client, aic_user, village):
    business = f.BusinessFactory(village=village)
    message = MessageFactory(user=aic_user, link=business.get_absolute_url())
    response = user_client.post(reverse("notifications:open", args=[message.pk]))
    assert response.status_code == 302 and response["Location"] == business.get_absolute_url()
    message.refresh_from_db()
    assert message.is_read
    assert user_client.get(response["Location"]).status_code == 200  # the lead department may open it


def test_someone_elses_message_is_a_404(user_client, office):
    message = MessageFactory(user=office)
    assert user_client.post(reverse("notifications:read", args=[message.pk])).status_code == 404
    assert user_client.post(reverse("notifications:open", args=[message.pk])).status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_mark_read_needs_post(user_client, aic_user):
    message = MessageFactory(user=aic_user)
    assert user_client.get(reverse("notifications:read", args=[message.pk])).status_code == 405


def test_mark_all_read(user_client, aic_user, office):
    MessageFactory.create_batch(4, user=aic_user)
    other = MessageFactory(user=office)
    user_client.post(reverse("notifications:read_all"))
    assert not Message.objects.filter(user=aic_user, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_preferences_default_to_email_on_sms_off(user_client):
    html = user_client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="email_kinds" value="licence_expiring" aria-label="证照即将到期 邮件" checked' in html
    assert 'name="sms_kinds" value="licence_expiring" aria-label="证照即将到期 短信">' in html


def test_preferences_are_saved_per_kind(user_client, aic_user):
    response = user_client.post(
        reverse("notifications:preferences"),
        {"email_kinds": ["phase_end"], "sms_kinds": ["rectification_overdue"], "mobile": "138 1234 5678"},
    )
    assert response.status_code == 302
    prefs = {p.kind: (p.email, p.sms) for p in ChannelPreference.objects.filter(user=aic_user)}
    assert prefs["phase_end"] == (True, False)
    assert prefs["rectification_overdue"] == (False, True)
    assert prefs["licence_expiring"] == (False, False)
    assert ContactDetails.objects.get(user=aic_user).mobile == "13812345678"
    html = user_client.get(reverse("notifications:preferences")).content.decode()
    assert 'value="rectification_overdue" aria-label="整改逾期 短信" checked' in html


def test_sms_without_a_mobile_number_is_refused_in_chinese(user_client, aic_user):
    response = user_client.post(
        reverse("notifications:preferences"), {"sms_kinds": ["phase_end"], "mobile": ""}
    )
    assert response.status_code == 200
    assert "选择了短信提醒，请填写接收短信的手机号码。" in response.content.decode()
    assert not ChannelPreference.objects.filter(user=aic_user).exists()


def test_bad_mobile_number_is_refused(user_client):
    response = user_client.post(
        reverse("notifications:preferences"), {"sms_kinds": ["phase_end"], "mobile": "12345"}
    )
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
