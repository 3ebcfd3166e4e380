from .board import city, drill, export, index, refresh_trend
from .city_papers import city_paper_download, city_paper_pdf, city_papers
from .help import help_vs_banned
from .papers import (
    acceptance_detail,
    acceptance_edit,
    acceptance_list,
    bulletin_create,
    bulletin_download,
    bulletin_list,
    bulletin_pdf,
    circular_create,
    circular_detail,
    circular_download,
    circular_issue,
    circular_pdf,
    ranking,
)

__all__ = [
    "acceptance_detail",
    "acceptance_edit",
    "acceptance_list",
    "bulletin_create",
    "bulletin_download",
    "bulletin_list",
    "bulletin_pdf",
    "circular_create",
    "circular_detail",
    "circular_download",
    "circular_issue",
    "circular_pdf",
    "city",
    "city_paper_download",
    "city_paper_pdf",
    "city_papers",
    "drill",
    "export",
    "help_vs_banned",
    "index",
    "ranking",
    "refresh_trend",
]
