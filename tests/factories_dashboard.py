"""A small hand-made town where every target's right answer is known (dashboard tests).

东村 (village):  g1 grocery, all licences displayed        -> G1 C1 U1 met
                 g2 grocery, food-circulation not displayed -> G1 fails; C1 U1 met
                 a1 agri (pesticide), licensed, displayed   -> G1 A2 met
                 s1 slaughterhouse, licensed, displayed,
                    May's return at 101% designated slaughter -> G1 F1 met
                 x  grocery, closed, no licence             -> counted nowhere
西村 (other):    g3 grocery, business licence only          -> G1 C1 U1 fail
                 a2 agri (seed), business licence only      -> G1 A2 fail
                 w1 workshop, licensed, displayed           -> G1 B1 U1 met
                 r1 restaurant, licences expire EXPIRY      -> G1 U1 met before EXPIRY, fail after
"""

import datetime

from campaigns.models import Campaign, Phase
from inspections.models import SlaughterReturn
from tests import factories as f

EXPIRY = datetime.date(2026, 7, 1)
BEFORE = datetime.date(2026, 6, 1)
AFTER = datetime.date(2026, 8, 1)


def campaign(starts_on=datetime.date(2026, 5, 1), ends_on=datetime.date(2026, 12, 31)) -> Campaign:
    """The current campaign (the data migration's 2009 one steps aside)."""
    Campaign.objects.update(is_current=False)
    c = Campaign.objects.create(
        name="测试镇五小专项整治", starts_on=starts_on, ends_on=ends_on, is_current=True
    )
    Phase.objects.create(
        campaign=c, code="P1", name="整改实施阶段", starts_on=starts_on, ends_on=datetime.date(2026, 10, 31)
    )
    Phase.objects.create(
        campaign=c, code="P2", name="总结验收阶段", starts_on=datetime.date(2026, 11, 1), ends_on=ends_on
    )
    return c


def small_town(village, other_village) -> dict:
    agri = f.category("agri")
    b = {}
    b["g1"] = f.BusinessFactory(name="东村兴隆士多店", village=village)
    f.licensed(b["g1"])
    b["g2"] = f.BusinessFactory(name="东村鸿福便利店", village=village)
    f.LicenceFactory(business=b["g2"], licence_type=f.licence_type("business"))
    f.LicenceFactory(business=b["g2"], licence_type=f.licence_type("food_circulation"), displayed=False)
    b["a1"] = f.BusinessFactory(
        name="东村丰收农资店", village=village, category=agri, subtypes=[agri.subtypes.get(code="pesticide")]
    )
    f.licensed(b["a1"])
    b["s1"] = f.BusinessFactory(name="测试镇中心屠宰场", village=village, category=f.category("slaughter"))
    f.licensed(b["s1"])
    SlaughterReturn.objects.create(
        business=b["s1"], month=datetime.date(2026, 5, 1), head_slaughtered=1010, head_consumed=1000
    )
    b["x"] = f.BusinessFactory(name="东村已关闭小店", village=village, status="closed")
    b["g3"] = f.BusinessFactory(name="西村杂货铺", village=other_village)
    f.LicenceFactory(business=b["g3"], licence_type=f.licence_type("business"))
    b["a2"] = f.BusinessFactory(
        name="西村种子店", village=other_village, category=agri, subtypes=[agri.subtypes.get(code="seed")]
    )
    f.LicenceFactory(business=b["a2"], licence_type=f.licence_type("business"))
    b["w1"] = f.BusinessFactory(name="西村豆腐坊", village=other_village, category=f.category("workshop"))
    f.licensed(b["w1"])
    b["r1"] = f.BusinessFactory(name="西村粥粉面", village=other_village, category=f.category("restaurant"))
    f.licensed(b["r1"], expires_on=EXPIRY)
    return b
