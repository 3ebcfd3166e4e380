"""Forms for the roster. The Excel import validates each row through these same forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts import access, scoping
from accounts.scoping import reach
from lib.forms import BusinessField, DateInput, StyledFormMixin

from .choices import LicenceState
from .models import (
    Business,
    Department,
    LeadingGroupMember,
    Licence,
    LicenceReissue,
    LicenceType,
    SubType,
    TownSettings,
    Village,
    VillageGroupMember,
)
from .validators import normalise_credit_code, normalise_phone, validate_subtypes_of_category


class SubtypeCheckboxes(forms.CheckboxSelectMultiple):
    """子类 checkboxes, each naming its category (data-category): site.js shows those of the chosen 类别;
    without JavaScript all are shown and BusinessForm.clean refuses a sub-type of another category."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-category"] = str(instance.category_id)
        return option


class BusinessForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Business
        fields = [
            "name",
            "category",
            "subtypes",
            "village",
            "address",
            "operator",
            "phone",
            "credit_code",
            "status",
            "is_town_centre",
            "market",
            "is_model",
        ]
        widgets = {"subtypes": SubtypeCheckboxes}

    def __init__(self, *args, user=None, **kwargs):
        """`user`: the editor, whose scope limits the village and category offered and accepted (an
        inspector keeps a business in their village, a department in its categories). The Excel import
        passes none: it checks each row's scope itself (access.may_write_row)."""
        super().__init__(*args, **kwargs)
        self.fields["subtypes"].queryset = SubType.objects.select_related("category")
        self.fields["subtypes"].label_from_instance = lambda st: f"{st.category.short_name}·{st.name}"
        self.fields["category"].widget.attrs["data-subtypes"] = "subtypes"
        self.reach = reach(user) if user is not None else None
        r = self.reach
        # Editing, the business's own village and category stay choosable: keeping them moves nothing
        # (the enforcement branch edits unlicensed units of categories it does not lead, issue 22).
        keep = self.instance if self.instance.pk else None
        if user is not None and r.town_ids() is not None:
            # Issue 24, town first: the villages and markets of the user's own towns.
            self.fields["village"].queryset = self.fields["village"].queryset.filter(
                scoping.town_q(user) | Q(pk=getattr(keep, "village_id", None))
            )
            self.fields["market"].queryset = self.fields["market"].queryset.filter(
                scoping.town_q(user, "village__town") | Q(pk=getattr(keep, "market_id", None))
            )
        if r is not None and not r.write_all:
            if r.villages and not r.departments:
                field = self.fields["village"]
                field.queryset = field.queryset.filter(
                    Q(pk__in=r.villages) | Q(pk=getattr(keep, "village_id", None))
                )
            if r.departments and not r.villages:
                field = self.fields["category"]
                field.queryset = field.queryset.filter(
                    Q(lead_department_id__in=r.departments) | Q(pk=getattr(keep, "category_id", None))
                )

    def clean_credit_code(self):
        return normalise_credit_code(self.cleaned_data.get("credit_code")) or None

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone"))

    def clean(self):
        cleaned = super().clean()
        try:
            validate_subtypes_of_category(cleaned.get("category"), cleaned.get("subtypes") or [])
        except ValidationError as exc:
            self.add_error("subtypes", exc)
        village, category = cleaned.get("village"), cleaned.get("category")
        moved = not self.instance.pk or (village, category) != (self.instance.village, self.instance.category)
        if self.reach is not None and village and category and moved:
            allowed = access.may_write_row(
                self.reach,
                village_id=village.pk,
                lead_department_id=category.lead_department_id,
                town_id=village.town_id,
            )
            if not allowed:
                self.add_error(
                    "village",
                    _("“%(village)s”的“%(category)s”不在您的管辖范围内，不能登记或移入。")
                    % {"village": village.name, "category": category.name},
                )
        return cleaned


class LicenceForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Licence
        fields = [
            "licence_type", "number", "issuer", "issued_on", "expires_on", "state", "rectify_by", "displayed",
        ]  # fmt: skip
        widgets = {"issued_on": DateInput(), "expires_on": DateInput(), "rectify_by": DateInput()}

    def __init__(self, *args, business: Business, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.business = business
        required = set(business.required_licence_types().values_list("pk", flat=True))
        self.fields["licence_type"].queryset = LicenceType.objects.all()
        self.fields["licence_type"].label_from_instance = lambda lt: (
            f"{lt.name}（{_('必备')}）" if lt.pk in required else lt.name
        )
        self.fields["state"].choices = [
            c for c in LicenceState.choices if c[0] != LicenceState.REVOKED or self.instance.pk
        ]


class CertificationForm(StyledFormMixin, forms.ModelForm):
    """O5: a city bureau records a licence it issued, for a business of its categories in any town.

    Every licence type is offered to the parser but only the bureau's own are valid: another type is a
    form error naming the bureau and the types it issues (the service checks the same)."""

    business = BusinessField(label=_("经营单位"))

    class Meta:
        model = Licence
        fields = [
            "business", "licence_type", "number", "issued_on", "expires_on", "state", "displayed", "note",
        ]  # fmt: skip
        widgets = {
            "issued_on": DateInput(),
            "expires_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, businesses, types, bureau_names: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business"].queryset = businesses
        self.fields["licence_type"].queryset = LicenceType.objects.all()
        self.fields["licence_type"].help_text = _("本部门核发：%(t)s") % {
            "t": "、".join(t.name for t in types) or "—"
        }
        self.allowed = {t.pk: t for t in types}
        self.bureau_names = bureau_names
        self.fields["issued_on"].required = True
        self.fields["state"].choices = [
            c for c in LicenceState.choices if c[0] in (LicenceState.VALID, LicenceState.TEMPORARY)
        ]

    def clean_licence_type(self):
        licence_type = self.cleaned_data["licence_type"]
        if licence_type.pk not in self.allowed:
            raise ValidationError(
                _("%(bureau)s不核发“%(type)s”，只能登记本部门核发的证照：%(allowed)s。"),
                code="not_issuer",
                params={
                    "bureau": self.bureau_names,
                    "type": licence_type.name,
                    "allowed": "、".join(t.name for t in self.allowed.values()) or "—",
                },
            )
        return licence_type


class LicenceRenewForm(StyledFormMixin, forms.Form):
    """Renewal: a new licence row replaces the old one (which is kept, marked expired)."""

    number = forms.CharField(label=_("新证照编号"), max_length=60)
    issuer = forms.CharField(label=_("发证机关"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("发证日期"), widget=DateInput())
    expires_on = forms.DateField(label=_("有效期至"), widget=DateInput(), required=False)
    displayed = forms.BooleanField(label=_("亮证"), required=False)

    def clean(self):
        cleaned = super().clean()
        issued, expires = cleaned.get("issued_on"), cleaned.get("expires_on")
        if issued and expires and expires < issued:
            self.add_error("expires_on", _("有效期至不能早于发证日期。"))
        return cleaned


class LicenceRevokeForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("吊销原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}))


class HelpRecordForm(StyledFormMixin, forms.ModelForm):
    """W4: help given to one unit (from its page)."""

    class Meta:
        from .models import HelpRecord

        model = HelpRecord
        fields = ["kind", "given_on", "department", "partner", "site", "note"]
        widgets = {"given_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}


class ProcessingSiteForm(StyledFormMixin, forms.ModelForm):
    """B5: the centralised processing site."""

    class Meta:
        from .models import ProcessingSite

        model = ProcessingSite
        fields = [
            "name",
            "village",
            "address",
            "industries",
            "opened_on",
            "unified_purchasing",
            "unified_production",
            "unified_management",
            "unified_testing",
            "note",
        ]
        widgets = {
            "opened_on": DateInput(),
            "industries": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        """`user` (issue 24): the office sets a site up in its own towns' villages only."""
        super().__init__(*args, **kwargs)
        self.fields["industries"].queryset = SubType.objects.filter(category__code="workshop")
        if user is not None:
            self.fields["village"].queryset = Village.objects.filter(
                scoping.town_wide_q(user, "town", write=True)
            )


class GreenChannelForm(StyledFormMixin, forms.ModelForm):
    """B3: a workshop's progress on the green channel."""

    class Meta:
        from .models import GreenChannel

        model = GreenChannel
        fields = ["stage", "applied_on", "guided_on", "licensed_on", "note"]
        widgets = {
            "applied_on": DateInput(),
            "guided_on": DateInput(),
            "licensed_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class ELedgerGoalForm(StyledFormMixin, forms.Form):
    """C3: the share of groceries the office aims to have on the e-ledger this campaign."""

    percent = forms.IntegerField(label=_("电子台账推广目标（%）"), min_value=1, max_value=100)


class VillageGroupMemberForm(StyledFormMixin, forms.ModelForm):
    """O2: a member of a village's campaign group."""

    class Meta:
        model = VillageGroupMember
        fields = ["village", "name", "role", "position", "phone", "order"]

    def __init__(self, *args, user=None, **kwargs):
        """`user` (issue 24): the office adds members to its own towns' villages only."""
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["village"].queryset = Village.objects.filter(
                scoping.town_wide_q(user, "town", write=True)
            )


class LeadingGroupMemberForm(StyledFormMixin, forms.ModelForm):
    """O1: a member of a town's leading group; the campaign is the page's (the town's current one). The
    departments offered are the town's own and the shared ones (issue 24)."""

    class Meta:
        model = LeadingGroupMember
        fields = ["name", "position", "role", "department", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        town_id = self.instance.campaign.town_id if self.instance.campaign_id else None
        where = Q(town__isnull=True) | Q(town_id=town_id) if town_id else Q()
        self.fields["department"].queryset = Department.objects.filter(where).order_by("name")
        self.fields["order"].help_text = _("数字小的排在前面")


class LicenceReissueForm(StyledFormMixin, forms.ModelForm):
    """B2: a workshop's paper recalled (and, later, re-issued — entered again on the same unit and paper)."""

    business = BusinessField(label=_("小作坊"))

    class Meta:
        model = LicenceReissue
        fields = ["business", "licence_type", "recalled_on", "reissued_on", "number", "note"]
        widgets = {
            "recalled_on": DateInput(),
            "reissued_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, workshops=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business"].queryset = workshops
        self.fields["licence_type"].queryset = LicenceType.objects.filter(
            requirements__category__code="workshop"
        ).distinct()

    def clean(self):
        """A second entry for the same unit and paper updates the first: what is left blank keeps its
        recorded value (a clerk adds the re-issue date to the recall she entered before)."""
        cleaned = super().clean()
        business, paper = cleaned.get("business"), cleaned.get("licence_type")
        if business is not None and paper is not None and self.instance.pk is None:
            existing = LicenceReissue.objects.filter(business=business, licence_type=paper).first()
            if existing is not None:
                for name in ("reissued_on", "number", "note"):
                    if not cleaned.get(name):
                        cleaned[name] = getattr(existing, name)
                self.instance = existing
        return cleaned


class TownCampaignForm(StyledFormMixin, forms.Form):
    """Issue 24: a town's own campaign — its name and dates, and the day the rectification phase (P1)
    ends; the summary and acceptance phase (P2) runs from the next day to the campaign's end."""

    name = forms.CharField(label=_("专项整治名称"), max_length=100)
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    p1_ends_on = forms.DateField(
        label=_("整改实施阶段截止"), widget=DateInput(), help_text=_("次日起为总结验收阶段")
    )
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput())


class TownSettingsForm(StyledFormMixin, forms.ModelForm):
    """Issue 24: a town's own settings; a field left empty keeps the installation's default."""

    class Meta:
        model = TownSettings
        fields = ["ledger_window_days", "return_check_days", "masthead", "number_prefix"]
