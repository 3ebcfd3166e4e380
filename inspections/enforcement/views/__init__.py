from .cases import case_detail, case_list, case_open, case_open_all
from .public import tipoff_public_create, tipoff_public_status, tipoff_public_thanks
from .tipoffs import tipoff_detail, tipoff_list, tipoff_photo

__all__ = [
    "case_detail",
    "case_list",
    "case_open",
    "case_open_all",
    "tipoff_detail",
    "tipoff_list",
    "tipoff_photo",
    "tipoff_public_create",
    "tipoff_public_status",
    "tipoff_public_thanks",
]
