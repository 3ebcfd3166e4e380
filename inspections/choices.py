"""Choices for visits, checklists, rectification orders and grades (DOMAIN §4, §6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitKind(models.TextChoices):
    ROUTINE = "routine", _("日常检查")
    SURPRISE = "surprise", _("突击检查")  # A5 不定期突击检查
    UNDERCOVER = "undercover", _("暗访")  # P2 领导小组办公室暗访
    REINSPECTION = "reinspection", _("回头查")  # E2, re-inspection of a rectification order
    ACCEPTANCE = "acceptance", _("验收")  # P2 逐级验收
    RANDOM = "random", _("随机抽查")  # P2 随机抽查
    TIPOFF = "tipoff", _("举报核查")  # W5 有奖举报


class VisitStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")


class VisitOutcome(models.TextChoices):
    PASSED = "passed", _("合格")
    RECTIFY = "rectify", _("限期整改")
    BAN = "ban", _("取缔")  # B4
    REVOKE = "revoke", _("吊销/暂扣证照")  # E6, D4
    REFER = "refer", _("移送")  # D3, D4, E7


class Answer(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")
    NA = "na", _("不适用")


class LicenceAction(models.TextChoices):
    NONE = "", _("无")
    REVOKE = "revoke", _("吊销")
    SUSPEND = "suspend", _("暂扣")


class OrderStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    CLOSED = "closed", _("已整改销号")
    ESCALATED = "escalated", _("已升级处理")


class Grade(models.TextChoices):
    """Risk grade of a business from its last visits: A low risk (visited least often) … C high risk."""

    A = "A", _("A级（低风险）")
    B = "B", _("B级（中风险）")
    C = "C", _("C级（高风险）")


class HygieneGrade(models.TextChoices):
    """E1: the restaurants' quantified hygiene grade (食品卫生监督量化分级), shown at the door."""

    A = "A", _("A级·优秀")
    B = "B", _("B级·良好")
    C = "C", _("C级·一般")


class IncidentSeverity(models.TextChoices):
    """C7: the national grading of food-safety incidents (国家食品安全事故应急预案, Ⅰ–Ⅳ级)."""

    EXTREME = "I", _("特别重大（Ⅰ级）")
    MAJOR = "II", _("重大（Ⅱ级）")
    LARGE = "III", _("较大（Ⅲ级）")
    GENERAL = "IV", _("一般（Ⅳ级）")


# C7 asks for no *major* incident: 重大 and above.
MAJOR_SEVERITIES = (IncidentSeverity.EXTREME, IncidentSeverity.MAJOR)


class IncidentStatus(models.TextChoices):
    HANDLING = "handling", _("处置中")
    CLOSED = "closed", _("已处置结案")
    REFERRED = "referred", _("已移送司法机关")


class ActivityKind(models.TextChoices):
    """The office's work register (工作记录): one shape for the many things the source asks to be done and
    reported. The requirement each kind realises is in its comment and in ACTIVITY_REQUIREMENT."""

    TRAINING = "training", _("培训")  # E3 operators and staff; F5 slaughter staff
    PUBLICITY = "publicity", _("宣传（海报、标语、举报电话）")  # W5
    EXPOSURE = "exposure", _("典型案例曝光")  # W5: published on the public list
    ADVERT = "advert", _("违法广告监测")  # D3
    SUPERVISION = "supervision", _("督查组督查")  # O4, U2: by stage and area
    VILLAGE_GROUP = "village_group", _("村（社区）专项整治小组工作")  # O2
    SELF_SUMMARY = "self_summary", _("自查总结")  # P2
    CRIMINAL_REFERRAL = "criminal_referral", _("移送追究刑事责任")  # E7
    BUREAU_SAMPLING = "bureau_sampling", _("市局抽样/认证")  # O5
    ANNUAL_INSPECTION = "annual_inspection", _("定点屠宰年检")  # F5
    FEE_CHECK = "fee_check", _("屠宰收费检查")  # F5
    MEAT_CRACKDOWN = "meat_crackdown", _("打击注水肉、病害肉、私屠滥宰行动")  # F5, F2
    CUSTOM_SLAUGHTER = "custom_slaughter", _("代宰业务监管")  # F5 (代宰, missed by DOMAIN)
    DESIGNATION_WITHDRAWN = "designation_withdrawn", _("取消定点资格")  # F5
    FACILITY_UPGRADE = "facility_upgrade", _("屠宰设施改造")  # F5 硬件建设
    FEED_CHECK = "feed_check", _("饲料及饲料添加剂、农资无证经营检查")  # A5 (feed, missed by DOMAIN)
    LICENCE_REISSUE = "licence_reissue", _("承诺书收回重发")  # B2, by industry
    DRUG_OUTLET_CHECK = "drug_outlet_check", _("超市杂货铺无证售药检查")  # D5


ACTIVITY_REQUIREMENT = {
    ActivityKind.TRAINING: "E3",
    ActivityKind.PUBLICITY: "W5",
    ActivityKind.EXPOSURE: "W5",
    ActivityKind.ADVERT: "D3",
    ActivityKind.SUPERVISION: "O4",
    ActivityKind.VILLAGE_GROUP: "O2",
    ActivityKind.SELF_SUMMARY: "P2",
    ActivityKind.CRIMINAL_REFERRAL: "E7",
    ActivityKind.BUREAU_SAMPLING: "O5",
    ActivityKind.ANNUAL_INSPECTION: "F5",
    ActivityKind.FEE_CHECK: "F5",
    ActivityKind.MEAT_CRACKDOWN: "F5",
    ActivityKind.CUSTOM_SLAUGHTER: "F5",
    ActivityKind.DESIGNATION_WITHDRAWN: "F5",
    ActivityKind.FACILITY_UPGRADE: "F5",
    ActivityKind.FEED_CHECK: "A5",
    ActivityKind.LICENCE_REISSUE: "B2",
    ActivityKind.DRUG_OUTLET_CHECK: "D5",
}


class Endorser(models.TextChoices):
    """D3: who an illegal drug or medical-device advert has vouch for it (作功效证明)."""

    CELEBRITY = "celebrity", _("公众人物")
    EXPERT = "expert", _("专家")
    PATIENT = "patient", _("患者")
    OTHER = "other", _("其他")
