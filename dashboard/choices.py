"""Choices and fixed sheets of the dashboard app (U2 bulletins, P2 acceptance)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AcceptanceKind(models.TextChoices):
    VILLAGE = "village", _("镇验收村（社区）")
    DEPARTMENT = "department", _("领导小组验收牵头部门")


class Conclusion(models.TextChoices):
    PASSED = "passed", _("验收合格")
    BASIC = "basic", _("基本合格")
    FAILED = "failed", _("验收不合格")


class CircularState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")


class CityPaperKind(models.TextChoices):
    """The city's own papers on its towns (issue 24): a bulletin and a circular."""

    BULLETIN = "bulletin", _("全市工作专报")
    CIRCULAR = "circular", _("全市通报")


# P2 score sheets: (code, item, what is checked, full marks); each sheet adds up to 100.
VILLAGE_SHEET = [
    ("organisation", _("组织领导"), _("成立村（社区）整治工作小组，分工明确（O2）"), 15),
    ("census", _("摸底建档"), _("经营单位摸底登记全面、动态更新（W1）"), 15),
    ("licences", _("证照整治"), _("证照齐全、亮证经营（G1）"), 20),
    ("ledgers", _("台账管理"), _("进销货台账建立和索证索票（G2、C2）"), 15),
    ("rectification", _("整改落实"), _("限期整改到位、回头查防反弹（W3、E2）"), 20),
    ("publicity", _("宣传培训"), _("宣传发动、举报电话公布、经营者培训（W5、E3）"), 15),
]
DEPARTMENT_SHEET = [
    ("organisation", _("组织指导"), _("牵头组织、指导、监督本类别整治（O3）"), 20),
    ("targets", _("目标完成"), _("本类别各项100%目标完成情况"), 30),
    ("inspections", _("专项检查"), _("突击检查、抽检抽验开展情况"), 20),
    ("cases", _("案件查处"), _("违法行为查处、移送及时（U1、E1）"), 15),
    ("long_term", _("长效机制"), _("制度建设、样板示范推广（W2）"), 15),
]
SHEETS = {AcceptanceKind.VILLAGE: VILLAGE_SHEET, AcceptanceKind.DEPARTMENT: DEPARTMENT_SHEET}
