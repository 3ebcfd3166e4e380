"""Choices for visits, checklists, rectification orders and grades (DOMAIN §4, §6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.choices import CategoryCode


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


class Face(models.TextChoices):
    """The face of the 量化分级 placard at the door (E1), on the public page and the QR placard."""

    SMILE = "smile", _("笑脸")
    FLAT = "flat", _("平脸")
    CRY = "cry", _("哭脸")


# The categories whose quantified grade (量化分级, E1) hangs at the door as a face: restaurants and
# workshops (小作坊 make food too); the public page and the QR placard show it.
GRADED_AT_THE_DOOR = (CategoryCode.RESTAURANT, CategoryCode.WORKSHOP)
HYGIENE_FACE = {HygieneGrade.A: Face.SMILE, HygieneGrade.B: Face.FLAT, HygieneGrade.C: Face.CRY}


# --- tip-offs, unlicensed-unit cases, spot checks, sampling ---------------------------------------
class TipOffStatus(models.TextChoices):
    RECEIVED = "received", _("待受理")
    ASSIGNED = "assigned", _("已交办")
    VERIFYING = "verifying", _("核查中")
    PROVEN = "proven", _("查证属实")
    UNFOUNDED = "unfounded", _("查无实据")
    SPAM = "spam", _("无效举报")


# A tip-off in one of these states is finished: the public status page says so.
TIPOFF_CLOSED = (TipOffStatus.PROVEN, TipOffStatus.UNFOUNDED, TipOffStatus.SPAM)


class SpamReason(models.TextChoices):
    HONEYPOT = "honeypot", _("填写了隐藏字段（疑似机器提交）")
    TOO_FAST = "too_fast", _("填写时间过短（疑似机器提交）")
    BAD_TOKEN = "bad_token", _("表单令牌无效")
    OFFICE = "office", _("办公室判定无效")


class CaseSource(models.TextChoices):
    ROSTER = "roster", _("名册核查")
    VISIT = "visit", _("检查发现")
    TIPOFF = "tipoff", _("群众举报")


# An open unlicensed-unit case should be settled within this many days (U1: "investigated promptly"); the
# case list's first age band ends here and older open cases are marked 逾期.
CASE_ANSWER_DAYS = 30


class CaseStatus(models.TextChoices):
    OPEN = "open", _("查处中")
    LICENSED = "licensed", _("已办证")
    BANNED = "banned", _("已取缔")
    MOVED = "moved", _("迁入集中加工场")
    CLOSED = "closed", _("已自行关停")


# The business status each outcome leaves behind (B4 取缔, B5 集中加工场); None leaves it as it is.
CASE_OUTCOME_BUSINESS_STATUS = {
    CaseStatus.LICENSED: None,
    CaseStatus.BANNED: "banned",
    CaseStatus.MOVED: "moved",
    CaseStatus.CLOSED: "closed",
}


class DrawStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    SUPERSEDED = "superseded", _("已重新抽取")


class SampleKind(models.TextChoices):
    FOOD = "food", _("食品抽检")
    DRUG = "drug", _("药品抽验")  # D6
    HERBAL = "herbal", _("中药材专项抽验")  # D6 中药材/中药饮片
    FERTILIZER = "fertilizer", _("肥料质量抽检")  # A5
    PESTICIDE = "pesticide", _("农药抽检")
    VET_DRUG = "vet_drug", _("兽药抽检")  # A5 禁用激素类
    SEED = "seed", _("种子抽检")
    RESIDUE = "residue", _("蔬菜农药残留检测")  # A6


class SampleMethod(models.TextChoices):
    """A6: a residue result comes from a lab or from the market's quick test (快检, on the spot)."""

    LAB = "lab", _("实验室检测")
    QUICK = "quick", _("快速检测")


class SampleResult(models.TextChoices):
    PENDING = "pending", _("待检")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class SampleAction(models.TextChoices):
    NONE = "", _("暂不处理")
    RECTIFY = "rectify", _("责令整改")
    REFER = "refer", _("移送处理")


# --- incidents (C7) and the work register ------------------------------------------------------
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


# --- D5 drug sales outside the law, C4 holiday-goods checks (topic: findings) ------------------------
class DrugSaleKind(models.TextChoices):
    """D5: how a unit sold drugs against the law (无证、挂靠、超方式、超范围经营药品)."""

    UNLICENSED = "unlicensed", _("无证售药")
    AFFILIATED = "affiliated", _("挂靠经营")
    OUT_OF_MODE = "out_of_mode", _("超方式经营")
    OUT_OF_SCOPE = "out_of_scope", _("超范围经营")


class HolidayFinding(models.TextChoices):
    """C4: what a holiday-goods check looks for (节日商品); each is a flag on the unit's check."""

    PRICE = "price", _("价格违法（不明码标价、价格欺诈）")
    BUNDLING = "bundling", _("搭售、过度包装")
    TRADEMARK = "trademark", _("商标侵权、假冒伪劣")
    FALSE_AD = "false_ad", _("虚假宣传")
    FRAUD = "fraud", _("欺诈消费者")
    EXPIRED = "expired", _("过期、无合格证商品")
