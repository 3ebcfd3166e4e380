"""Photo uploads from the public: refuse anything that is not a real image or is too large.

The checking and re-encoding are the shared helper's (lib.files.clean_image: a real image, JPEG
re-encoded, EXIF such as GPS position and phone model stripped — which protects the tipster). Here: a
tighter size limit for anonymous uploads and the photo's number in each message.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image

from lib.files import clean_image as shared_clean_image

# Tip-off photos are phone pictures: 8 MB is generous for one, and below the site-wide upload limit.
TIPOFF_PHOTO_MAX_MB = 8
TIPOFF_MAX_PHOTOS = 3


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
    try:
        content = shared_clean_image(upload)
    except ValidationError as exc:
        raise ValidationError(f"{label}：{' '.join(exc.messages)}", code=exc.code) from exc
    with Image.open(io.BytesIO(content.read())) as image:
        width, height = image.size
    content.seek(0)
    return CleanImage(content, width, height)
