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

from accounts.uploads import IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS

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
    # Photos: at most the shared image limit (accounts.uploads, 10 MB), below the general upload limit.
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
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.width * probe.height > IMAGE_MAX_PIXELS:  # before any pixel is decoded
                raise ValidationError(
                    _("照片“%(name)s”尺寸过大（%(w)s×%(h)s 像素），最多 %(max)s 万像素。"),
                    params={
                        "name": name,
                        "w": probe.width,
                        "h": probe.height,
                        "max": IMAGE_MAX_PIXELS // 10_000,
                    },
                    code="too_many_pixels",
                )
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
