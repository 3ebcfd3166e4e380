from .cases import case_detail, case_list, case_open, case_open_all
from .checklists import checklist_detail, checklist_list, checklist_revise, frequency_edit
from .offline import manifest, offline_app, service_worker
from .orders import order_detail, order_docx, order_list, order_pdf, order_reschedule
from .public import tipoff_public_create, tipoff_public_status, tipoff_public_thanks
from .publicity import placard_one, placard_sheet, public_code_rotate_view, public_town, public_unit
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
from .visits import (
    due_list,
    photo,
    photo_delete,
    visit_amend,
    visit_detail,
    visit_edit,
    visit_list,
    visit_start,
)

__all__ = [
    "case_detail",
    "case_list",
    "case_open",
    "case_open_all",
    "checklist_detail",
    "checklist_list",
    "checklist_revise",
    "draw_create",
    "draw_detail",
    "draw_list",
    "due_list",
    "frequency_edit",
    "manifest",
    "offline_app",
    "order_detail",
    "order_docx",
    "order_list",
    "order_pdf",
    "order_reschedule",
    "photo",
    "photo_delete",
    "placard_one",
    "placard_sheet",
    "public_code_rotate_view",
    "public_town",
    "public_unit",
    "sample_create",
    "sample_detail",
    "sample_import",
    "sample_import_template",
    "sample_list",
    "sample_result",
    "service_worker",
    "spotcheck_results_public",
    "tipoff_detail",
    "tipoff_list",
    "tipoff_photo",
    "tipoff_public_create",
    "tipoff_public_status",
    "tipoff_public_thanks",
    "visit_amend",
    "visit_detail",
    "visit_edit",
    "visit_list",
    "visit_start",
]
