"""Uploaded photos and documents: checked on the way in, served only through scoped views (issue 3).

On the way in, a photo goes through ``clean_image``: it must be a real image (opened by Pillow), at
most IMAGE_MAX_BYTES and IMAGE_MAX_PIXELS, and it is re-encoded as JPEG (orientation applied, EXIF —
GPS, camera serial — stripped, longest side at most IMAGE_MAX_SIDE). In a form::

    def clean_photo(self):
        return clean_image(self.cleaned_data["photo"])   # a ContentFile named <random>.jpg

On the way out, nothing under MEDIA_ROOT has a public URL (MEDIA_URL is not routed). A view finds the
object through the user's scope, then hands the file over::

    @login_required
    def visit_photo(request, pk):
        photo = get_for_user(request.user, VisitPhoto.objects.all(), "visit__business__", pk=pk)
        return serve_private_file(request, photo.image)
"""

from __future__ import annotations

import io
import mimetypes
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_MAX_BYTES = 10 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000  # 40 MP: any phone photo; refuses decompression bombs before decoding
IMAGE_MAX_SIDE = 2000
IMAGE_QUALITY = 85
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "MPO"}


def clean_image(uploaded_file, *, max_side: int = IMAGE_MAX_SIDE) -> ContentFile:
    """A checked, re-encoded JPEG of an uploaded image, or ValidationError with a Chinese message.

    `max_side` lets a caller keep its pictures smaller (visit photos: inspections/images.py)."""
    if uploaded_file is None:
        raise ValidationError(_("请上传图片。"), code="required")
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > IMAGE_MAX_BYTES:
        raise ValidationError(
            _("图片不能超过 %(max)s MB（当前 %(size).1f MB）。"),
            code="too_big",
            params={"max": IMAGE_MAX_BYTES // (1024 * 1024), "size": size / 1024 / 1024},
        )
    uploaded_file.seek(0)
    try:
        image = Image.open(uploaded_file)
        # Only the header is read so far: refuse huge dimensions before decoding a pixel.
        width, height = image.size
        if width * height > IMAGE_MAX_PIXELS:
            raise ValidationError(
                _("图片尺寸过大（%(w)s×%(h)s 像素），最多 %(max)s 万像素。"),
                code="too_many_pixels",
                params={"w": width, "h": height, "max": IMAGE_MAX_PIXELS // 10_000},
            )
        if image.format not in IMAGE_FORMATS:
            raise UnidentifiedImageError(image.format)
        image.load()
        image = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("文件“%(name)s”不是可识别的图片（支持 JPG、PNG、WEBP 等格式）。"),
            code="not_an_image",
            params={"name": PurePath(getattr(uploaded_file, "name", "") or "").name},
        ) from exc
    if image.mode not in ("RGB", "L"):
        # Transparent areas become white rather than black.
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=IMAGE_QUALITY, optimize=True)  # no exif= argument: metadata dropped
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def serve_private_file(request, fieldfile, *, as_attachment: bool = False, filename: str | None = None):
    """Stream a stored file to a user the calling view has already checked (scope first, then this).

    404 when the field is empty or the file is gone. Responses are never cached by shared caches.
    """
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    name = filename or PurePath(fieldfile.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=as_attachment, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
