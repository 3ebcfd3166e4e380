from .tipoffs import TipOff, TipOffPhoto
from .unlicensed import UnlicensedCase

__all__ = [
    "TipOff",
    "TipOffPhoto",
    "UnlicensedCase",
]
