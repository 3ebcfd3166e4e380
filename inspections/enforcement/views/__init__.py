from .cases import case_detail, case_list, case_open, case_open_all
from .public import tipoff_public_create, tipoff_public_status, tipoff_public_thanks
from .samples import (
    sample_create,
    sample_detail,
    sample_import,
    sample_import_template,
    sample_list,
    sample_result,
)
from .spotchecks import draw_create, draw_detail, draw_list, spotcheck_results_public
from .tipoffs import tipoff_detail, tipoff_list, tipoff_photo

__all__ = [
    "case_detail",
    "case_list",
    "case_open",
    "case_open_all",
    "draw_create",
    "draw_detail",
    "draw_list",
    "sample_create",
    "sample_detail",
    "sample_import",
    "sample_import_template",
    "sample_list",
    "sample_result",
    "spotcheck_results_public",
    "tipoff_detail",
    "tipoff_list",
    "tipoff_photo",
    "tipoff_public_create",
    "tipoff_public_status",
    "tipoff_public_thanks",
]
