"""Uploads (issue 3): images checked and re-encoded; private files only through scoped views."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from PIL import Image, ImageFile

from lib import files
from lib.files import clean_image, serve_private_file


def image_file(
    size=(800, 600), fmt="JPEG", mode="RGB", name="photo.jpg", exif=None, **save
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    img = Image.new(mode, size, "red" if mode != "RGBA" else (255, 0, 0, 0))
    if exif is not None:
        save["exif"] = exif
    img.save(buffer, fmt, **save)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def opened(content) -> Image.Image:
    return Image.open(io.BytesIO(content.read()))


def test_a_photo_is_re_encoded_as_jpeg_without_exif_and_resized():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° when shown
    cleaned = clean_image(image_file(size=(4000, 3000), exif=exif))
    assert cleaned.name.endswith(".jpg") and "photo" not in cleaned.name  # no user file names kept
    result = opened(cleaned)
    assert result.format == "JPEG"
    assert not result.getexif()  # GPS, camera and orientation tags gone …
    assert result.size == (1500, 2000)  # … after the orientation was applied; longest side 2000


def test_png_with_transparency_becomes_a_white_backed_jpeg():
    result = opened(clean_image(image_file(fmt="PNG", mode="RGBA", name="x.png")))
    assert result.mode == "RGB" and result.getpixel((0, 0)) == (255, 255, 255)


def test_not_an_image_is_refused_in_chinese():
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 this is not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        clean_image(fake)
    assert exc.value.code == "not_an_image"
    assert "photo.jpg" in exc.value.messages[0] and "不是可识别的图片" in exc.value.messages[0]


def test_truncated_image_is_refused():
    whole = image_file().read()
    with pytest.raises(ValidationError) as exc:
        clean_image(SimpleUploadedFile("cut.jpg", whole[: len(whole) // 3]))
    assert exc.value.code == "not_an_image"


def test_more_than_10_mb_is_refused(monkeypatch):
    big = SimpleUploadedFile("big.jpg", b"\xff" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as exc:
        clean_image(big)
    assert exc.value.code == "too_big" and "不能超过 10 MB" in exc.value.messages[0]


def test_too_many_pixels_is_refused_before_decoding(monkeypatch):
    # A 9000x9000 PNG of one colour is tiny on disk but 81 MP: a decompression bomb in miniature.
    bomb = image_file(size=(9000, 9000), fmt="PNG", mode="L", name="bomb.png")
    assert bomb.size < 1024 * 1024
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(self))
    with pytest.raises(ValidationError) as exc:
        clean_image(bomb)
    assert exc.value.code == "too_many_pixels" and "9000×9000" in exc.value.messages[0]
    assert not decoded
    assert files.IMAGE_MAX_PIXELS == 40_000_000


@pytest.fixture
def stored_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("private/visits/abc.jpg", clean_image(image_file()))
    field = FileField(name="photo")
    return FieldFile(instance=None, field=field, name=name)


def test_serve_private_file_streams_with_no_caching(stored_file):
    request = RequestFactory().get("/x")
    response = serve_private_file(request, stored_file)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "JPEG"
    attachment = serve_private_file(request, stored_file, as_attachment=True, filename="整改照片.jpg")
    assert "attachment" in attachment["Content-Disposition"]


def test_serve_private_file_404_for_empty_or_missing(stored_file):
    request = RequestFactory().get("/x")
    with pytest.raises(Http404):
        serve_private_file(request, FieldFile(instance=None, field=FileField(name="photo"), name=""))
    default_storage.delete(stored_file.name)
    with pytest.raises(Http404):
        serve_private_file(request, stored_file)


@pytest.mark.django_db
def test_media_files_have_no_public_url(client, stored_file, settings):
    assert not settings.MEDIA_URL or settings.MEDIA_URL in ("/", "")  # no MEDIA_URL to route
    for path in (f"/media/{stored_file.name}", f"/{stored_file.name}"):
        with pytest.raises(Resolver404):
            resolve(path)
        assert client.get(path).status_code in (302, 404)


def test_visit_photos_obey_the_shared_limits():
    from inspections.images import max_upload_bytes, process_photo

    assert max_upload_bytes() <= files.IMAGE_MAX_BYTES
    with pytest.raises(ValidationError) as exc:
        process_photo(image_file(size=(9000, 9000), fmt="PNG", mode="L", name="bomb.png"))
    assert exc.value.code == "too_many_pixels"
    assert "bomb.png" in exc.value.messages[0] and "9000×9000" in exc.value.messages[0]


def test_visit_photos_go_through_the_shared_clean_image():
    """inspections/images.process_photo is the shared helper with a 1600-pixel side and its own wording."""
    from inspections.images import process_photo

    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° when shown
    photo = process_photo(image_file(size=(4000, 3000), exif=exif))
    assert photo.size == len(photo.content.read()) > 0
    photo.content.seek(0)
    result = opened(photo.content)
    assert (photo.width, photo.height) == result.size == (1200, 1600) and not result.getexif()
    white = opened(process_photo(image_file(fmt="PNG", mode="RGBA", name="x.png")).content)
    assert white.getpixel((0, 0)) == (255, 255, 255)  # transparency on white, as the shared helper does
    with pytest.raises(ValidationError) as exc:
        process_photo(SimpleUploadedFile("台账.xlsx", b"PK not an image"))
    assert exc.value.code == "not_image"
    assert exc.value.messages[0] == "“台账.xlsx”不是可识别的图片文件，请拍照或选择 JPG/PNG 图片。"
