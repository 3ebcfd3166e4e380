"""The public tip-off form (W5): no login, photos checked, spam flagged, rate limited, nothing private."""

import io
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from PIL import Image

from inspections import antispam
from inspections.choices import TipOffStatus
from inspections.models import TipOff, TipOffPhoto
from inspections.urls import PUBLIC_URL_NAMES
from tests import factories as f

pytestmark = pytest.mark.django_db
FORM = reverse("inspections:tipoff_public_create")
STATUS = reverse("inspections:tipoff_public_status")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The rate limit lives in the cache (Redis in the PostgreSQL run): start each test from zero.
    cache.clear()
    yield
    cache.clear()


def old_token(seconds: int = 60) -> str:
    return antispam.form_token(now=time.time() - seconds)


def jpeg(size=(40, 30), exif_gps: bool = False) -> io.BytesIO:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    kwargs = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x0110] = "TipsterPhone X1"  # camera model: identifies the sender's device
        kwargs["exif"] = exif
    image.save(out, format="JPEG", **kwargs)
    out.seek(0)
    out.name = "现场.jpg"
    return out


def post(client, remote_addr="127.0.0.1", HTTP_X_FORWARDED_FOR="", **overrides):
    data = {"content": "新华村路口有家无牌士多店卖过期饮料", "place": "新华路口", "token": old_token()}
    data.update(overrides)
    return client.post(FORM, data, REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=HTTP_X_FORWARDED_FOR)


def test_form_opens_without_login_and_is_listed_public(client):
    response = client.get(FORM)
    assert response.status_code == 200
    body = response.content.decode()
    assert "有奖举报" in body
    # The honeypot is hidden by a class (the CSP refuses inline styles), and not reachable by Tab.
    assert 'class="hp-field" aria-hidden="true"' in body and 'tabindex="-1"' in body
    assert "<style" not in body and "style=" not in body
    assert {
        "inspections:tipoff_public_create",
        "inspections:tipoff_public_thanks",
        "inspections:tipoff_public_status",
    } <= PUBLIC_URL_NAMES


def test_submission_is_stored_and_reference_shown(client, village):
    shop = f.BusinessFactory(name="东村兴隆士多店", village=village)
    response = post(
        client,
        village=village.pk,
        business_name="兴隆士多",
        contact_name="陈先生",
        contact_phone="13812340000",
        wants_reward="on",
    )
    assert response.status_code == 302
    tipoff = TipOff.objects.get()
    assert tipoff.status == TipOffStatus.RECEIVED
    assert tipoff.suggested_business == shop  # matched by name, for the office to confirm
    assert tipoff.business is None
    assert len(tipoff.client_hash) == 64 and "127.0.0.1" not in tipoff.client_hash
    thanks = client.get(response["Location"])
    assert tipoff.reference in thanks.content.decode()


def test_photo_is_reencoded_without_metadata(client):
    response = post(client, photos=[jpeg(exif_gps=True), jpeg(size=(20, 20))])
    assert response.status_code == 302
    photos = list(TipOffPhoto.objects.all())
    assert len(photos) == 2
    with photos[0].image.open("rb") as fh, Image.open(fh) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert image.size == (40, 30)


def test_oversized_photo_is_refused_and_nothing_saved(client, settings, monkeypatch):
    monkeypatch.setattr("inspections.uploads.TIPOFF_PHOTO_MAX_MB", 1)
    big = io.BytesIO(b"\xff\xd8" + b"0" * (1024 * 1024 + 10))
    big.name = "big.jpg"
    response = post(client, photos=[jpeg(), big])
    assert response.status_code == 200
    assert "照片2“big.jpg”太大" in response.content.decode()
    assert "每张照片不能超过 1 MB" in response.content.decode()
    assert not TipOff.objects.exists() and not TipOffPhoto.objects.exists()


def test_non_image_is_refused(client):
    fake = io.BytesIO(b"%PDF-1.4 not a picture")
    fake.name = "证据.jpg"
    response = post(client, photos=[fake])
    assert "照片1：文件“证据.jpg”不是可识别的图片" in response.content.decode()
    assert not TipOff.objects.exists()


def test_too_many_photos_refused(client):
    response = post(client, photos=[jpeg(), jpeg(), jpeg(), jpeg()])
    assert "最多上传 3 张照片" in response.content.decode()
    assert not TipOff.objects.exists()


def test_reward_needs_a_phone(client):
    response = post(client, wants_reward="on")
    assert "申请举报奖励需要留下联系电话" in response.content.decode()
    assert not TipOff.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"website": "http://spam.example"}, "honeypot"),
        ({"token": "FRESH"}, "too_fast"),
        ({"token": "forged"}, "bad_token"),
    ],
)
def test_spam_is_kept_flagged_and_sender_sees_the_same_thanks(client, overrides, reason):
    if overrides.get("token") == "FRESH":
        overrides = {"token": antispam.form_token()}  # issued now: posted faster than a person types
    response = post(client, photos=[jpeg()], **overrides)
    assert response.status_code == 302 and "thanks" in response["Location"]
    tipoff = TipOff.objects.get()
    assert tipoff.status == TipOffStatus.SPAM and tipoff.spam_reason == reason
    assert not tipoff.photos.exists()  # a bot's uploads are not kept
    # The public look-up does not tell a bot it was caught.
    assert "待受理" in client.get(STATUS, {"ref": tipoff.reference}).content.decode()


def test_stale_form_asks_to_reload(client):
    response = post(client, token=old_token(seconds=2 * 24 * 3600))
    assert "请刷新页面后重新提交" in response.content.decode()
    assert not TipOff.objects.exists()


def test_rate_limit_per_address(client):
    for _ in range(antispam.RATE_LIMIT_PER_HOUR):
        assert post(client).status_code == 302
    refused = post(client)
    assert refused.status_code == 429
    assert "每小时最多提交 5 条举报" in refused.content.decode()
    assert TipOff.objects.count() == antispam.RATE_LIMIT_PER_HOUR
    assert antispam.refused_today() == 1
    # Another address is not affected.
    assert post(client, remote_addr="203.0.113.9").status_code == 302


def test_rate_limit_counts_the_proxied_address_behind_a_trusted_proxy(client, settings):
    settings.WUXIAO_PROXY_COUNT = 1
    for i in range(antispam.RATE_LIMIT_PER_HOUR):
        assert post(client, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302, i
    assert post(client, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert post(client, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 302


def test_status_page_shows_status_and_no_personal_data(client, village):
    tipoff = TipOff.objects.create(
        content="某作坊用工业盐",
        village=village,
        contact_name="李阿姨",
        contact_phone="13700009999",
        status=TipOffStatus.PROVEN,
        triage_note="经查属实，已责令停产（承办人：王五）",
    )
    body = client.get(STATUS, {"ref": tipoff.reference.lower()}).content.decode()
    assert "查证属实" in body and tipoff.reference in body
    for private in ("李阿姨", "13700009999", "某作坊用工业盐", "王五"):
        assert private not in body
    assert "没有找到该编号" in client.get(STATUS, {"ref": "JB0000000000"}).content.decode()


def test_thanks_page_needs_a_signed_reference(client):
    response = client.get(reverse("inspections:tipoff_public_thanks"), {"r": "JBABCDEFGHJK"})
    assert response.status_code == 302 and response["Location"] == FORM
