"""Visit photos: refuse what is not an image or too large, then store a resized JPEG.

The checking and re-encoding are the shared helper's (lib.files.clean_image: size first, then the
header's pixel count, then the image is decoded and re-encoded so no original bytes — EXIF location
included — are kept). Here: the site's upload limit, a smaller long side, and the photo's name in each
message, worded for the inspector on site.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image

from lib.files import IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS, clean_image

MAX_SIDE = 1600  # pixels on the long side: readable on an order, small enough for a village's uplink


@dataclass(frozen=True)
class ProcessedImage:
    content: ContentFile
    width: int
    height: int

    @property
    def size(self) -> int:
        return self.content.size


def max_upload_bytes() -> int:
    # Photos: at most the shared image limit (lib.files, 10 MB), below the general upload limit.
    return min(settings.WUXIAO_UPLOAD_MAX_MB * 1024 * 1024, IMAGE_MAX_BYTES)


def process_photo(upload, *, max_bytes: int | None = None, max_side: int = MAX_SIDE) -> ProcessedImage:
    """Validate and resize an uploaded photo; raise ValidationError with a Chinese message on bad input."""
    max_bytes = max_bytes or max_upload_bytes()
    name = getattr(upload, "name", "") or _("照片")
    if upload.size > max_bytes:
        raise ValidationError(
            _("照片“%(name)s”过大（%(size).1f MB），上限为 %(max)d MB。"),
            params={"name": name, "size": upload.size / 1024 / 1024, "max": max_bytes // 1024 // 1024},
            code="too_large",
        )
    try:
        content = clean_image(upload, max_side=max_side)
    except ValidationError as exc:
        if exc.code == "too_many_pixels":
            raise ValidationError(
                _("照片“%(name)s”尺寸过大（%(w)s×%(h)s 像素），最多 %(max)s 万像素。"),
                params={**exc.params, "name": name, "max": IMAGE_MAX_PIXELS // 10_000},
                code="too_many_pixels",
            ) from exc
        if exc.code == "not_an_image":
            raise ValidationError(
                _("“%(name)s”不是可识别的图片文件，请拍照或选择 JPG/PNG 图片。"),
                params={"name": name},
                code="not_image",
            ) from exc
        raise
    with Image.open(io.BytesIO(content.read())) as image:  # the header only: the re-encoded size
        width, height = image.size
    content.seek(0)
    return ProcessedImage(content, width, height)
