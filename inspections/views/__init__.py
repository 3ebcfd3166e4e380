from .checklists import checklist_detail, checklist_list, checklist_revise, frequency_edit
from .orders import order_detail, order_docx, order_list, order_pdf, order_reschedule
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
    "checklist_detail",
    "checklist_list",
    "checklist_revise",
    "due_list",
    "frequency_edit",
    "order_detail",
    "order_docx",
    "order_list",
    "order_pdf",
    "order_reschedule",
    "photo",
    "photo_delete",
    "visit_amend",
    "visit_detail",
    "visit_edit",
    "visit_list",
    "visit_start",
]
