"""Choices for ledgers (G2, A3, A4, C2, C3): directions, product kinds, units, certificate kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    PURCHASE = "in", _("进货")
    SALE = "out", _("销售")


class ProductKind(models.TextChoices):
    FOOD = "food", _("食品")
    DRUG = "drug", _("药品")
    PESTICIDE = "pesticide", _("农药")
    FERTILIZER = "fertilizer", _("肥料")
    SEED = "seed", _("种子")
    VET_DRUG = "vet_drug", _("兽药")
    FEED = "feed", _("饲料")
    MEAT = "meat", _("肉品")


# Kinds that carry a product registration number, and what the number is called (A4).
REGISTRATION_LABELS = {
    ProductKind.PESTICIDE: _("农药登记证号"),
    ProductKind.FERTILIZER: _("肥料登记证号"),
}


class CertificateKind(models.TextChoices):
    """索证: what the supplier's certificate is."""

    CONFORMITY = "conformity", _("合格证")
    INSPECTION = "inspection", _("检验报告")
    QUARANTINE = "quarantine", _("检疫证明")
    OTHER = "other", _("其他证明")


class Unit(models.TextChoices):
    """The units a ledger line may use; anything else is refused with the list in the message."""

    KG = "千克", _("千克")
    JIN = "斤", _("斤")
    GRAM = "克", _("克")
    TONNE = "吨", _("吨")
    LITRE = "升", _("升")
    ML = "毫升", _("毫升")
    BOTTLE = "瓶", _("瓶")
    BAG = "袋", _("袋")
    PACKET = "包", _("包")
    BOX = "盒", _("盒")
    CASE = "箱", _("箱")
    PIECE = "件", _("件")
    BARREL = "桶", _("桶")
    CAN = "罐", _("罐")
    STICK = "支", _("支")
    TABLET = "片", _("片")
    HEAD = "头", _("头")
    ANIMAL = "只", _("只")
    ITEM = "个", _("个")
    STRIP = "条", _("条")


# How people also write the units above (after lower-casing and half-width conversion).
UNIT_SYNONYMS = {
    "kg": Unit.KG,
    "公斤": Unit.KG,
    "g": Unit.GRAM,
    "t": Unit.TONNE,
    "l": Unit.LITRE,
    "ml": Unit.ML,
    "市斤": Unit.JIN,
}


class AlertState(models.TextChoices):
    OPEN = "open", _("待处理")
    HANDLED = "handled", _("已处理")
