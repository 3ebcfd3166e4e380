"""Write endpoints. Each runs the page's own service in one transaction and answers a service's Chinese
field errors in the one JSON shape of api.errors; nothing is written when anything is refused."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from campaigns import selectors as campaign_selectors
from campaigns.models import Department
from inspections import selectors as inspection_selectors
from inspections.models import Visit
from inspections.services import AnswerInput, LicenceInput, tipoff_triage
from inspections.services.offline import RecordInput, VisitConflict, visit_for_uuid, visit_record
from ledgers.models import LedgerAlert
from ledgers.services import LedgerLinesInvalid, ledger_lines_create

from .. import serializers as s
from ..errors import Conflict, flatten_django
from .reads import BusinessLedger, visit_queryset

MAX_PHOTOS = 20


def _service_error(exc: DjangoValidationError, rename: dict | None = None) -> ValidationError:
    """A service's ValidationError as a DRF one carrying the same fields, codes and Chinese messages."""
    fields = flatten_django(exc, rename=rename)
    return ValidationError({k: [ErrorDetail(e["message"], e["code"]) for e in v] for k, v in fields.items()})


class LedgerLines(BusinessLedger):
    """GET: the lines; POST: record lines (the phone form's service, all or nothing, A4 alerts raised)."""

    parser_classes = [JSONParser]

    @extend_schema(
        request=s.LedgerLinesInputSerializer,
        responses={201: s.LedgerLinesCreatedSerializer},
    )
    def post(self, request, pk: int):
        business = self.business(write=True)
        data = s.LedgerLinesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            entries = ledger_lines_create(
                business=business, lines=data.validated_data["lines"], user=request.user
            )
        except LedgerLinesInvalid as exc:
            errors: dict[str, list] = {}
            for e in exc.line_errors:
                key = f"lines[{e.index}]" + (f".{e.field}" if e.field else "")
                errors.setdefault(key, []).append(e.message)
            raise ValidationError(errors) from exc
        alerts = LedgerAlert.objects.filter(entry__in=entries).count()
        out = {"lines": s.LedgerLineSerializer(entries, many=True).data, "alerts": alerts}
        return Response(out, status=status.HTTP_201_CREATED)


def _visit_payload(request) -> tuple[dict, list]:
    """The visit's JSON (the body, or the multipart field `visit`) and its photos [(item code|None, file)]."""
    if request.content_type.startswith("multipart/"):
        form = s.VisitSubmitMultipartSerializer(data=request.data)
        unknown = sorted(set(request.data) - {"visit", "photos", "photo_items"})
        if unknown:
            raise ValidationError({k: [ErrorDetail("未知字段。", "unknown_field")] for k in unknown})
        form.is_valid(raise_exception=True)
        try:
            payload = json.loads(form.validated_data["visit"])
        except ValueError as exc:
            raise ValidationError({"visit": ["visit 字段应为 JSON 文本。"]}) from exc
        files = request.FILES.getlist("photos")
        items = request.data.getlist("photo_items") or [""] * len(files)
        if len(items) != len(files):
            raise ValidationError({"photo_items": ["photo_items 的个数应与 photos 相同。"]})
        if len(files) > MAX_PHOTOS:
            raise ValidationError({"photos": [f"一次最多上传 {MAX_PHOTOS} 张照片。"]})
        photos = [(item.strip() or None, f) for item, f in zip(items, files, strict=True)]
        return payload, photos
    return request.data, []


class VisitSubmit(APIView):
    """Record a whole visit, submitted (the offline app's sync). Idempotent by `client_uuid`: the same
    UUID again answers the visit already made (200) instead of making another. Conflicts (409) carry a
    stable `code`: business_closed, checklist_changed, already_visited, deadline_past, uuid_taken."""

    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        request={
            "application/json": s.VisitSubmitSerializer,
            "multipart/form-data": s.VisitSubmitMultipartSerializer,
        },
        responses={
            201: s.VisitSerializer,
            200: OpenApiResponse(s.VisitSerializer, description="同一 client_uuid 已提交过：原样返回"),
        },
    )
    def post(self, request):
        payload, photos = _visit_payload(request)
        form = s.VisitSubmitSerializer(data=payload)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        user = request.user
        try:
            existing = visit_for_uuid(data["client_uuid"], user)
        except VisitConflict as exc:
            raise Conflict(exc.code, exc.messages[0], exc.detail) from exc
        if existing is not None:
            return self._answer(existing.pk, created=False)
        assignment = None
        if data["assignment"] is not None:
            assigned = inspection_selectors.visit_detail_queryset(user=user, write=True)
            assignment = get_object_or_404(assigned, pk=data["assignment"])
            business = assignment.business
            if business.pk != data["business"]:
                raise ValidationError({"assignment": ["检查任务不是该经营单位的。"]})
        else:
            writable = campaign_selectors.business_queryset(user=user, write=True)
            business = get_object_or_404(writable, pk=data["business"])
        referral = None
        if data["referral_department"] is not None:
            referral = Department.objects.filter(pk=data["referral_department"]).first()
            if referral is None:
                raise ValidationError({"referral_department": ["没有这个部门。"]})
        record = RecordInput(
            client_uuid=data["client_uuid"],
            checklist_id=data["checklist"],
            started_at=data["started_at"],
            kind=data["kind"],
            answers={c: AnswerInput(answer=a["answer"], note=a["note"]) for c, a in data["answers"].items()},
            licences={
                t: LicenceInput(held=li["held"], displayed=li["displayed"], action=li["action"])
                for t, li in data["licences"].items()
            },
            notes=data["notes"],
            outcome=data["outcome"],
            deadline=data["deadline"],
            requirements_text=data["requirements_text"],
            referral_department=referral,
            referral_note=data["referral_note"],
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            location_accuracy=data.get("location_accuracy"),
            photos=photos,
        )
        try:
            recorded = visit_record(business=business, user=user, data=record, assignment=assignment)
        except VisitConflict as exc:
            raise Conflict(exc.code, exc.messages[0], exc.detail) from exc
        except DjangoValidationError as exc:
            raise _service_error(exc, getattr(exc, "names", None)) from exc
        except IntegrityError:
            # The same UUID sent twice at once: the unique constraint let one in; answer what it made.
            visit = Visit.objects.filter(client_uuid=data["client_uuid"], created_by=user).first()
            if visit is None:
                raise
            return self._answer(visit.pk, created=False)
        return self._answer(recorded.visit.pk, created=recorded.created)

    def _answer(self, pk: int, *, created: bool) -> Response:
        visit = visit_queryset(self.request.user).filter(pk=pk).first()
        if visit is None:  # recorded, but no longer in the caller's scope (e.g. an assignment withdrawn)
            raise Http404
        headers = {} if created else {"Idempotent-Replayed": "true"}
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(s.VisitSerializer(visit).data, status=code, headers=headers)


class TipOffStatus(APIView):
    """The office's triage of a tip-off (status, lead department, linked business, note) — the page's
    service. Anyone else: 404."""

    parser_classes = [JSONParser]

    @extend_schema(request=s.TipOffStatusSerializer, responses=s.TipOffSerializer)
    def post(self, request, pk: int):
        user = request.user
        if not access.can_triage_tipoffs(user):
            raise Http404
        tipoff = get_object_or_404(inspection_selectors.tipoff_detail_queryset(user=user), pk=pk)
        form = s.TipOffStatusSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        department = business = None
        if data["lead_department"] is not None:
            department = Department.objects.filter(pk=data["lead_department"]).first()
            if department is None:
                raise ValidationError({"lead_department": ["没有这个部门。"]})
        if data["business"] is not None:
            business = campaign_selectors.business_queryset(user=user).filter(pk=data["business"]).first()
            if business is None:
                raise ValidationError({"business": ["没有这个经营单位，或不在您的范围内。"]})
        try:
            with transaction.atomic():
                tipoff = tipoff_triage(
                    tipoff=tipoff,
                    user=user,
                    status=data["status"],
                    lead_department=department,
                    business=business,
                    triage_note=data["triage_note"],
                )
        except DjangoValidationError as exc:
            raise _service_error(exc) from exc
        return Response(s.TipOffSerializer(tipoff).data)
