"""What the API reads and writes, field by field (the OpenAPI schema is generated from these).

Inputs are strict: an unknown field, a wrong type, a NUL byte, a date outside 2000–2099 or an id outside
the caller's scope is a 400 with the field named; nothing reaches a service unparsed."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from campaigns.choices import BusinessStatus, LicenceState
from campaigns.models import Business, Category, Licence, LicenceType, Village
from inspections.choices import (
    Answer,
    LicenceAction,
    OrderStatus,
    TipOffStatus,
    VisitKind,
    VisitOutcome,
    VisitStatus,
)
from inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
    RectificationOrder,
    TipOff,
    Visit,
    VisitAnswer,
    VisitLicenceCheck,
)
from ledgers.choices import CertificateKind, Direction, ProductKind
from ledgers.models import LedgerEntry

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)
MAX_ID = 2**53  # ids beyond this are nobody's (and beyond what SQLite and JSON clients hold exactly)


class BoundedDateField(serializers.DateField):
    """An ISO date between 2000-01-01 and 2099-12-31: the campaign's dates, never an overflow later."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not EARLIEST <= day <= LATEST:
            raise serializers.ValidationError(
                _("日期 %(d)s 超出范围（%(a)s 至 %(b)s）。") % {"d": day, "a": EARLIEST, "b": LATEST},
                code="date_out_of_range",
            )
        return day


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know (a typo is an error, not silently ignored)."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {k: [ErrorDetail(str(_("未知字段。")), code="unknown_field")] for k in unknown}
                )
        return super().to_internal_value(data)


class IdField(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


# --- reference data ----------------------------------------------------------------------------------
# Integer model fields are declared here: their model validators' bounds differ between SQLite and
# PostgreSQL, and the committed schema must be the same on both.
class VillageSerializer(serializers.ModelSerializer):
    town = serializers.CharField(source="town.name", read_only=True)
    order = serializers.IntegerField(read_only=True)

    class Meta:
        model = Village
        fields = ["id", "code", "name", "town", "is_town_centre", "order"]


class CategorySerializer(serializers.ModelSerializer):
    lead_department = serializers.CharField(source="lead_department.name", read_only=True)
    order = serializers.IntegerField(read_only=True)

    class Meta:
        model = Category
        fields = ["id", "code", "name", "short_name", "lead_department", "order"]


class LicenceTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = LicenceType
        fields = ["id", "code", "name", "issuer"]


class ChecklistItemSerializer(serializers.ModelSerializer):
    order = serializers.IntegerField(read_only=True)
    weight = serializers.IntegerField(read_only=True)

    class Meta:
        model = ChecklistItem
        fields = ["code", "requirement", "text", "basis", "requires_photo_on_failure", "weight", "order"]
        read_only_fields = fields


class ChecklistSerializer(serializers.ModelSerializer):
    """A checklist version: what the offline app fills in; a visit is submitted with its id."""

    category_code = serializers.CharField(source="category.code", read_only=True)
    version = serializers.IntegerField(read_only=True)
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "category", "category_code", "version", "title", "is_current", "note", "items"]
        read_only_fields = fields


# --- businesses ---------------------------------------------------------------------------------------
class LicenceSerializer(serializers.ModelSerializer):
    licence_type_name = serializers.CharField(source="licence_type.name", read_only=True)
    effective_state = serializers.ChoiceField(choices=LicenceState.choices, read_only=True)

    class Meta:
        model = Licence
        fields = [
            "id",
            "licence_type",
            "licence_type_name",
            "number",
            "issuer",
            "issued_on",
            "expires_on",
            "state",
            "effective_state",
            "displayed",
            "displayed_seen_on",
        ]


class BusinessSerializer(serializers.ModelSerializer):
    category_code = serializers.CharField(source="category.code", read_only=True)
    village_code = serializers.CharField(source="village.code", read_only=True)
    status = serializers.ChoiceField(choices=BusinessStatus.choices, read_only=True)
    licences_complete = serializers.BooleanField(read_only=True, help_text="G1：所需证照齐全")
    licences_displayed = serializers.BooleanField(read_only=True, help_text="G1：所需证照齐全且亮证")
    licences = LicenceSerializer(many=True, read_only=True)

    class Meta:
        model = Business
        fields = [
            "id",
            "name",
            "category",
            "category_code",
            "village",
            "village_code",
            "address",
            "operator",
            "phone",
            "credit_code",
            "status",
            "is_town_centre",
            "is_model",
            "licences_complete",
            "licences_displayed",
            "licences",
            "updated_at",
        ]


# --- visits -------------------------------------------------------------------------------------------
class VisitAnswerSerializer(serializers.ModelSerializer):
    answer = serializers.ChoiceField(choices=[("", "—"), *Answer.choices], read_only=True)

    class Meta:
        model = VisitAnswer
        fields = ["code", "requirement", "text", "answer", "note", "is_relapse"]


class VisitLicenceCheckSerializer(serializers.ModelSerializer):
    action = serializers.ChoiceField(choices=LicenceAction.choices, read_only=True)

    class Meta:
        model = VisitLicenceCheck
        fields = ["licence_type", "licence", "held", "displayed", "action"]


class VisitSerializer(serializers.ModelSerializer):
    business_name = serializers.CharField(source="business.name", read_only=True)
    checklist = serializers.IntegerField(source="template_id", read_only=True)
    checklist_version = serializers.IntegerField(source="template.version", read_only=True)
    kind = serializers.ChoiceField(choices=VisitKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=VisitStatus.choices, read_only=True)
    outcome = serializers.ChoiceField(choices=[("", "—"), *VisitOutcome.choices], read_only=True)
    score = serializers.IntegerField(read_only=True, allow_null=True, help_text="适用条目得分率，0–100")
    inspectors = serializers.SerializerMethodField()
    answers = VisitAnswerSerializer(many=True, read_only=True)
    licence_checks = VisitLicenceCheckSerializer(many=True, read_only=True)
    orders_issued = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id",
            "client_uuid",
            "business",
            "business_name",
            "checklist",
            "checklist_version",
            "kind",
            "status",
            "started_at",
            "submitted_at",
            "outcome",
            "score",
            "notes",
            "deadline",
            "is_relapse",
            "inspectors",
            "answers",
            "licence_checks",
            "orders_issued",
        ]

    def get_inspectors(self, visit) -> list[int]:
        return [u.pk for u in visit.inspectors.all()]

    def get_orders_issued(self, visit) -> list[int]:
        return [o.pk for o in visit.orders_issued.all()]


class AnswerInputSerializer(StrictSerializer):
    answer = serializers.ChoiceField(choices=Answer.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class LicenceInputSerializer(StrictSerializer):
    held = serializers.BooleanField(allow_null=True)
    displayed = serializers.BooleanField(allow_null=True, required=False, default=None)
    action = serializers.ChoiceField(choices=LicenceAction.choices, required=False, default="")


class VisitSubmitSerializer(StrictSerializer):
    """A whole visit as the offline app holds it: answers by checklist item code, licence checks by
    licence type id. docs/api.md, "Submitting a visit"."""

    client_uuid = serializers.UUIDField(help_text="客户端生成的 UUID：同一编号提交两次只生成一条检查记录")
    business = IdField()
    checklist = IdField(help_text="填写时所用检查表版本的 id（GET 经营单位的 checklist）")
    assignment = IdField(required=False, allow_null=True, default=None, help_text="被指派的检查草稿 id")
    kind = serializers.ChoiceField(choices=VisitKind.choices, default=VisitKind.ROUTINE)
    started_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    answers = serializers.DictField(child=AnswerInputSerializer(), help_text="条目代码 → 结论")
    licences = serializers.DictField(
        child=LicenceInputSerializer(), required=False, default=dict, help_text="证照类型 id → 核查结果"
    )
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(choices=VisitOutcome.choices)
    deadline = BoundedDateField(required=False, allow_null=True, default=None)
    requirements_text = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    referral_department = IdField(required=False, allow_null=True, default=None)
    referral_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False, allow_null=True
    )
    location_accuracy = serializers.IntegerField(
        min_value=0, max_value=100000, required=False, allow_null=True
    )

    def validate_started_at(self, value):
        if value is not None and not EARLIEST <= value.date() <= LATEST:
            raise serializers.ValidationError(_("检查时间超出范围。"), code="date_out_of_range")
        return value

    def validate_answers(self, value):
        if len(value) > 500:
            raise serializers.ValidationError(_("条目过多。"), code="max_length")
        for code in value:
            if not code or len(code) > 20:
                raise serializers.ValidationError(_("条目代码“%(c)s”无效。") % {"c": code[:20]})
        return value

    def validate_licences(self, value):
        out = {}
        for key, check in value.items():
            if not (key.isascii() and key.isdigit() and 0 < len(key) <= 15):
                raise serializers.ValidationError(_("证照类型 id“%(k)s”应为数字。") % {"k": key[:20]})
            out[int(key)] = check
        return out


class VisitSubmitMultipartSerializer(serializers.Serializer):
    """multipart/form-data: the JSON body above as the field `visit`, photos as files."""

    visit = serializers.CharField(help_text="与 application/json 请求体相同的 JSON 文本")
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="照片文件，可多张"
    )
    photo_items = serializers.ListField(
        child=serializers.CharField(allow_blank=True, max_length=20),
        required=False,
        help_text="与 photos 一一对应的条目代码（空字符串为整体照片）",
    )


# --- orders ---------------------------------------------------------------------------------------------
class OrderSerializer(serializers.ModelSerializer):
    business_name = serializers.CharField(source="business.name", read_only=True)
    status = serializers.ChoiceField(choices=OrderStatus.choices, read_only=True)
    items = serializers.SerializerMethodField()

    class Meta:
        model = RectificationOrder
        fields = [
            "id",
            "number",
            "business",
            "business_name",
            "visit",
            "issued_on",
            "deadline",
            "requirements_text",
            "status",
            "reinspection_due_on",
            "closed_on",
            "return_check_due_on",
            "items",
        ]

    def get_items(self, order) -> list[str]:
        return [a.code for a in order.items.all()]


# --- targets --------------------------------------------------------------------------------------------
class TargetRowSerializer(serializers.Serializer):
    """One row of `target_report --json`."""

    target = serializers.CharField()
    label = serializers.CharField()
    goal = serializers.FloatField()
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    status = serializers.ChoiceField(choices=["green", "amber", "red", "none"])
    as_of = serializers.DateField()
    scope = serializers.DictField(child=serializers.JSONField())
    village = serializers.CharField(allow_null=True)
    category = serializers.CharField(allow_null=True)
    department = serializers.CharField(allow_null=True)
    town = serializers.CharField(allow_null=True, help_text="镇（街道）代码；跨多个镇时为 null（issue 24）")
    computed_at = serializers.DateTimeField()


class TargetQuerySerializer(StrictSerializer):
    as_of = BoundedDateField(required=False)
    town = serializers.SlugField(max_length=30, required=False, help_text="镇（街道）代码（issue 24）")
    village = serializers.SlugField(max_length=30, required=False)
    category = serializers.SlugField(max_length=20, required=False)


# --- ledgers --------------------------------------------------------------------------------------------
class LedgerLineSerializer(serializers.ModelSerializer):
    certificate_kind = serializers.ChoiceField(choices=[("", "—"), *CertificateKind.choices], read_only=True)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "business",
            "direction",
            "occurred_on",
            "product_name",
            "specification",
            "kind",
            "quantity",
            "unit",
            "batch",
            "production_date",
            "shelf_life_days",
            "expiry_date",
            "registration_number",
            "supplier_name",
            "supplier_code",
            "supplier_business",
            "certificate_collected",
            "certificate_kind",
            "invoice_collected",
            "buyer_name",
            "buyer_business",
            "note",
            "flag_no_registration",
            "flag_expired_sale",
            "flag_no_certificate",
            "flag_no_invoice",
            "entered_at",
        ]
        read_only_fields = fields


class LedgerLineInputSerializer(StrictSerializer):
    """One line to record; the service (the phone form's) checks the rules across lines and the roster."""

    direction = serializers.ChoiceField(choices=Direction.choices)
    occurred_on = BoundedDateField()
    product_name = serializers.CharField(max_length=100)
    specification = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=ProductKind.choices)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
    unit = serializers.CharField(
        max_length=10, help_text="千克、斤、克、吨、升、毫升……（kg、公斤等同义词可用）"
    )
    batch = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    production_date = BoundedDateField(required=False, allow_null=True, default=None)
    shelf_life_days = serializers.IntegerField(min_value=0, max_value=36500, required=False, allow_null=True)
    expiry_date = BoundedDateField(required=False, allow_null=True, default=None)
    registration_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    supplier_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    supplier_code = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    certificate_collected = serializers.BooleanField(required=False, default=False)
    certificate_kind = serializers.ChoiceField(
        choices=[("", "—"), *CertificateKind.choices], required=False, default=""
    )
    invoice_collected = serializers.BooleanField(required=False, default=False)
    buyer_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class LedgerLinesInputSerializer(StrictSerializer):
    lines = serializers.ListField(child=LedgerLineInputSerializer(), min_length=1, max_length=500)


class LedgerLinesCreatedSerializer(serializers.Serializer):
    lines = LedgerLineSerializer(many=True)
    alerts = serializers.IntegerField(help_text="其中禁用产品（A4）引发的预警数")


# --- traces ----------------------------------------------------------------------------------------------
class TraceQuerySerializer(StrictSerializer):
    mode = serializers.ChoiceField(choices=[("forward", "正向"), ("backward", "反向"), ("a6", "A6")])
    product = serializers.CharField(max_length=100)
    batch = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    supplier = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    business = IdField(required=False, help_text="反向追溯：经营单位 id")
    village = IdField(required=False, help_text="A6：村（社区）id")
    since = BoundedDateField(required=False)
    until = BoundedDateField(required=False)


class TraceRowSerializer(serializers.Serializer):
    pk = serializers.IntegerField()
    level = serializers.IntegerField()
    direction = serializers.ChoiceField(choices=Direction.choices)
    direction_label = serializers.CharField()
    business_id = serializers.IntegerField()
    business = serializers.CharField()
    village = serializers.CharField()
    occurred_on = serializers.DateField()
    product_name = serializers.CharField()
    batch = serializers.CharField(allow_blank=True)
    quantity = serializers.CharField()
    unit = serializers.CharField()
    counterparty = serializers.CharField(allow_blank=True)
    counterparty_business_id = serializers.IntegerField(allow_null=True)
    counterparty_business = serializers.CharField(allow_blank=True)


class TraceBusinessSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    village = serializers.CharField()


class TraceResultSerializer(serializers.Serializer):
    mode = serializers.CharField()
    product = serializers.CharField()
    product_key = serializers.CharField(allow_blank=True)
    batch = serializers.CharField(allow_blank=True)
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True)
    truncated = serializers.BooleanField()
    businesses = TraceBusinessSerializer(many=True)
    rows = TraceRowSerializer(many=True)


# --- tip-offs --------------------------------------------------------------------------------------------
class TipOffSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=TipOffStatus.choices, read_only=True)

    class Meta:
        model = TipOff
        fields = [
            "id",
            "reference",
            "content",
            "village",
            "place",
            "business",
            "status",
            "lead_department",
            "triage_note",
            "submitted_at",
            "triaged_at",
        ]


class TipOffStatusSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=TipOffStatus.choices)
    lead_department = IdField(required=False, allow_null=True, default=None)
    business = IdField(required=False, allow_null=True, default=None)
    triage_note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# --- errors ----------------------------------------------------------------------------------------------
class FieldErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer):
    """Every 4xx answer (api.errors)."""

    code = serializers.CharField(help_text="机器可读的错误代码，见 docs/api.md")
    message = serializers.CharField(help_text="中文说明")
    fields = serializers.DictField(child=FieldErrorSerializer(many=True), required=False)
    detail = serializers.DictField(child=serializers.JSONField(), required=False)


# --- tokens ------------------------------------------------------------------------------------------
class WhoAmISerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    roles = serializers.ListField(child=serializers.CharField())
    token = serializers.CharField(allow_null=True, help_text="本次请求所用令牌的前缀；会话登录时为 null")


# --- the offline app's copy of today's work (issue 19) -----------------------------------------------------
class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class DueOrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    deadline = serializers.DateField()
    requirements_text = serializers.CharField()
    items = serializers.ListField(
        child=serializers.CharField(), source="item_codes", help_text="不符合条目编号"
    )


class DueBusinessSerializer(BusinessSerializer):
    """A due business's card: the roster's fields, why it is due, its grade and last visit, open orders."""

    due_on = serializers.DateField(read_only=True)
    due_reason = serializers.CharField(read_only=True)
    grade = serializers.CharField(read_only=True, allow_null=True)
    last_visit_on = serializers.DateField(read_only=True, allow_null=True)
    required_licence_types = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    open_orders = DueOrderSerializer(many=True, read_only=True)

    class Meta(BusinessSerializer.Meta):
        fields = [
            *BusinessSerializer.Meta.fields,
            "due_on",
            "due_reason",
            "grade",
            "last_visit_on",
            "required_licence_types",
            "open_orders",
        ]


class TodayWorkSerializer(serializers.Serializer):
    taken_at = serializers.DateTimeField()
    today = serializers.DateField()
    businesses = DueBusinessSerializer(many=True)
    checklists = ChecklistSerializer(many=True)
    licence_types = LicenceTypeSerializer(many=True)
    answers = ChoiceSerializer(many=True)
    outcomes = ChoiceSerializer(many=True)
    kinds = ChoiceSerializer(many=True)
