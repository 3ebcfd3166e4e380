"""Photo uploads: refuse what is not an image or too large, then store a resized JPEG.

A small Pillow-based helper local to inspections; when the shared upload helper of accounts/ lands it
can replace this (the checks are the same: size first, then the image is decoded, then re-encoded so no
original bytes — EXIF location included — are kept).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIDE = 1600  # pixels on the long side: readable on an order, small enough for a village's uplink
JPEG_QUALITY = 82


@dataclass(frozen=True)
class ProcessedImage:
    content: ContentFile
    width: int
    height: int

    @property
    def size(self) -> int:
        return self.content.size


def max_upload_bytes() -> int:
    return settings.WUXIAO_UPLOAD_MAX_MB * 1024 * 1024


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
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((max_side, max_side))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("“%(name)s”不是可识别的图片文件，请拍照或选择 JPG/PNG 图片。"),
            params={"name": name},
            code="not_image",
        ) from exc
    return ProcessedImage(ContentFile(out.getvalue(), name="photo.jpg"), width, height)
