"""Photo uploads from the public: refuse anything that is not a real image or is too large.

A small local helper (issue 7): the roles issue is writing a shared upload helper in accounts/; once it
lands this can delegate to it. Each photo is decoded with Pillow and re-encoded as JPEG, which both proves
it is an image and strips its metadata (EXIF GPS position, phone model) that could identify the tipster.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}
# Tip-off photos are phone pictures: 8 MB is generous for one, and below the site-wide upload limit.
TIPOFF_PHOTO_MAX_MB = 8
TIPOFF_MAX_PHOTOS = 3
# Larger pictures are scaled down on re-encoding: enough to read a label or a licence on a wall.
MAX_EDGE = 2560
# Refuse decompression bombs outright (a small file that decodes to a giant bitmap).
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    width: int
    height: int


def max_photo_bytes() -> int:
    return min(TIPOFF_PHOTO_MAX_MB, settings.WUXIAO_UPLOAD_MAX_MB) * 1024 * 1024


def clean_image(upload, *, label: str) -> CleanImage:
    """Validate one uploaded file and return it re-encoded as JPEG; ValidationError in Chinese otherwise.

    `label` names the file in the message (照片1, 照片2 ...), so the user knows which one to replace.
    """
    limit = max_photo_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("%(label)s“%(name)s”太大（%(size).1f MB），每张照片不能超过 %(limit)d MB。"),
            code="too_large",
            params={
                "label": label,
                "name": upload.name,
                "size": upload.size / 1048576,
                "limit": limit // 1048576,
            },
        )
    not_image = ValidationError(
        _("%(label)s“%(name)s”不是可识别的图片，请上传 JPG、PNG 或 WEBP 格式的照片。"),
        code="not_image",
        params={"label": label, "name": upload.name},
    )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise not_image
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(
                    _("%(label)s“%(name)s”分辨率过大，请缩小后再上传。"),
                    code="too_many_pixels",
                    params={"label": label, "name": upload.name},
                )
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)  # keep the picture upright once EXIF is dropped
            image = image.convert("RGB")
            image.thumbnail((MAX_EDGE, MAX_EDGE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise not_image from exc
    return CleanImage(ContentFile(out.getvalue(), name="photo.jpg"), image.width, image.height)
