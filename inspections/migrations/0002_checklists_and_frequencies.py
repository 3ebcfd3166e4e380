"""Seed a first checklist per category from DOMAIN §3–§4 and the grade → frequency table.

Every item cites its requirement id. Editable afterwards in the app (a new version per edit); this
migration only creates what is missing.
"""

from django.db import migrations

# code, requirement, text, requires photo when it fails
GENERAL = [
    ("G1-1", "G1", "按类别要求持有全部证照，且均在有效期内（证照齐全）", False),
    ("G1-2", "G1", "证照悬挂于经营场所显著位置（亮证经营）", True),
    ("G2-1", "G2", "建立进货台账，记录完整", False),
    ("G2-2", "G2", "建立销售台账，记录完整", False),
    ("G3-1", "G3", "不使用、不添加非食用原材料", True),
    ("G4-1", "G4", "不生产、不销售假冒伪劣产品、药品", True),
]

BY_CATEGORY = {
    "agri": ("小农资店检查表", [
        ("A1-1", "A1", "已纳入监管范围，经营品种（农药、化肥、种子、兽药、饲料）登记在册", False),
        ("A3-1", "A3", "进货台账记录进货来源、数量", False),
        ("A3-2", "A3", "销售台账记录销售日期、去向，可追溯", False),
        ("A4-1", "A4", "无假冒伪劣农资商品", True),
        ("A4-2", "A4", "所售肥料均有肥料登记证", True),
        ("A4-3", "A4", "未经营甲胺磷、对硫磷、甲基对硫磷、久效磷、磷胺等禁用农药", True),
        ("A5-1", "A5", "兽药、饲料不含违禁兴奋剂、激素类物质", True),
        ("A5-2", "A5", "种子无假冒、无超范围经营、无虚假宣传、无短斤少两，标签规范", False),
        ("A6-1", "A6", "能提供蔬菜用农药的销售去向，配合农残监测追溯", False),
        ("A7-1", "A7", "不合格农资已及时下架、处置", True),
    ]),
    "workshop": ("小作坊检查表", [
        ("B1-1", "B1", "持有营业执照、卫生许可证、质量承诺书并亮证", True),
        ("B2-1", "B2", "已按行业重新签订质量承诺书", False),
        ("B3-1", "B3", "已申办或正在申办食品生产许可证", False),
        ("B4-1", "B4", "生产场所卫生条件符合要求，原料与成品分区存放", True),
        ("B4-2", "B4", "生产人员持有效健康证明", False),
        ("B5-1", "B5", "不具备条件的已纳入集中加工场搬迁计划", False),
    ]),
    "grocery": ("小食杂店检查表", [
        ("C1-1", "C1", "依法经营，营业执照亮证", True),
        ("C2-1", "C2", "建立食品进货台账", False),
        ("C2-2", "C2", "索证索票（供货者资质、购货凭证）齐全", False),
        ("C3-1", "C3", "使用信誉通电子台账，食品可追溯", False),
        ("C4-1", "C4", "食品有合格证明，无超过保质期食品", True),
        ("C4-2", "C4", "节日商品价格、捆绑销售、商标、宣传规范，无消费欺诈", False),
        ("C5-1", "C5", "建立进货检查验收、台账、质量承诺、不合格食品退市等自律制度", False),
        ("C5-2", "C5", "不合格食品已退市并登记", True),
    ]),
    "pharmacy": ("小药店检查表", [
        ("D1-1", "D1", "质量管理人员在职在岗", False),
        ("D1-2", "D1", "进货检查验收制度落实，验收记录完整", False),
        ("D1-3", "D1", "药品保管（储存条件、效期管理）符合要求", True),
        ("D1-4", "D1", "药品分类分柜摆放（处方药与非处方药、药品与非药品分开）", True),
        ("D1-5", "D1", "出入库检查记录完整", False),
        ("D2-1", "D2", "从合法渠道购进药品，供货方资质证明齐全", False),
        ("D3-1", "D3", "无违法药品、医疗器械广告（名人、专家代言等）", True),
        ("D4-1", "D4", "GSP证书有效，跟踪检查发现的问题已整改", False),
        ("D5-1", "D5", "无挂靠经营、超方式、超范围经营药品", False),
        ("D6-1", "D6", "中药材、中药饮片来源合法，质量合格", True),
    ]),
    "restaurant": ("小餐饮店检查表", [
        ("E1-1", "E1", "实施食品卫生监督量化分级管理，等级公示", False),
        ("E1-2", "E1", "原料进货索证索票制度落实", False),
        ("E1-3", "E1", "从业人员持有效健康证明", False),
        ("E1-4", "E1", "加工场所卫生，生熟分开，餐饮具清洗消毒符合要求", True),
        ("E2-1", "E2", "以往整改问题保持整改效果，无反弹", True),
        ("E3-1", "E3", "经营者及从业人员已参加食品安全培训", False),
        ("E6-1", "E6", "持临时卫生许可证的已按要求整改", False),
    ]),
    "slaughter": ("镇中心屠宰场检查表", [
        ("F1-1", "F1", "生猪全部定点屠宰，无场外屠宰", False),
        ("F2-1", "F2", "无私屠滥宰，不收购、屠宰病死猪", True),
        ("F3-1", "F3", "严格执行屠宰操作规程和工艺流程", False),
        ("F4-1", "F4", "厂区管理制度落实", False),
        ("F4-2", "F4", "车间卫生管理制度落实", True),
        ("F4-3", "F4", "肉品卫生管理制度落实", False),
        ("F4-4", "F4", "索票索证制度落实", False),
        ("F4-5", "F4", "不合格肉品召回制度落实", False),
        ("F4-6", "F4", "肉品品质检验检疫制度落实", False),
        ("F4-7", "F4", "生猪产品进出场登记制度落实", False),
        ("F4-8", "F4", "病死猪无害化处理台账完整", True),
        ("F5-1", "F5", "年检合格，从业人员经培训", False),
        ("F5-2", "F5", "无注水肉、病害肉", True),
    ]),
}

# grade, min average score, interval in days, note
FREQUENCIES = [
    ("A", 90, 90, "低风险：每季度检查一次"),
    ("B", 75, 30, "中风险：每月检查一次"),
    ("C", 0, 14, "高风险：每两周检查一次（W3 反弹单位提高频次）"),
]


def forwards(apps, schema_editor):
    Category = apps.get_model("campaigns", "Category")
    ChecklistTemplate = apps.get_model("inspections", "ChecklistTemplate")
    ChecklistItem = apps.get_model("inspections", "ChecklistItem")
    FrequencyRule = apps.get_model("inspections", "FrequencyRule")

    for category in Category.objects.all():
        if category.code not in BY_CATEGORY or ChecklistTemplate.objects.filter(category=category).exists():
            continue
        title, items = BY_CATEGORY[category.code]
        template = ChecklistTemplate.objects.create(
            category=category, version=1, title=title, is_current=True, note="依据整治方案初始建立"
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                template=template, order=order, code=code, requirement=req, text=text,
                requires_photo_on_failure=photo,
            )
            for order, (code, req, text, photo) in enumerate(GENERAL + items, start=1)
        )
    for grade, min_score, days, note in FREQUENCIES:
        FrequencyRule.objects.get_or_create(
            grade=grade, defaults={"min_score": min_score, "interval_days": days, "note": note}
        )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial"), ("campaigns", "0002_reference_data")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
