"""The one .docx builder: every document of ours (orders, bulletins, circulars) is laid out here, following
GB/T 9704-2012 《党政机关公文格式》 (DOMAIN §8).

- Page: A4 210 × 297 mm; top margin 37 mm, binding-side (left) margin 28 mm; a text block of 156 × 225 mm
  (so bottom 35 mm, right 26 mm); 22 lines of 28 characters, declared as the document grid (w:docGrid) and
  kept by an exact line pitch on every paragraph, so office software and LibreOffice agree on the lines.
- Language zh-CN on the document defaults, every style and every run.
- Fonts by the names offices have, each run carrying its East Asian name (w:eastAsia):
  title 二号 (22 pt) 方正小标宋简体; body 三号 (16 pt) 仿宋_GB2312; first-level headings 三号 黑体;
  second-level 三号 楷体_GB2312; page numbers 四号 (14 pt) 宋体.
- Fallback order for a machine without a font (FONTS below): the docx names the first, its font table
  lists the next as the alternative (w:altName) with the GB2312 charset, so Word substitutes within the
  family; LibreOffice (our PDFs) reads lib/fonts/gongwen.conf, a fontconfig file that maps every name of
  each family to the next one installed, ending at the Noto CJK / AR PL fonts Debian ships.
- Parts: 版头 (red issuing-organ mark and a red rule spanning the text width), 发文字号 〔2026〕1号, the
  title centred and broken where the words allow (never a line of one or two characters), 主送, body,
  附件, the issuing organ and 成文日期 (Arabic numerals, no padding) with room for the seal, the 版记
  (抄送, 印发机关和印发日期) at the foot of the last page, and page numbers "— 1 —" (odd pages right,
  even pages left, one character in from the edge).

Model-free: callers pass strings and dates (docs/architecture.md).
"""

from __future__ import annotations

import datetime
import io
import math
from collections.abc import Iterable, Sequence

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

LANG = "zh-CN"
LEFT_ALIGN, CENTER, RIGHT_ALIGN = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
RED = RGBColor(0xE6, 0x00, 0x12)  # the red of printed mastheads

# Page geometry (GB/T 9704-2012 §5.2): A4, text block 156 × 225 mm placed 37 mm from the top, 28 mm
# from the binding side.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TEXT_WIDTH, TEXT_HEIGHT = Mm(156), Mm(225)
TOP, LEFT = Mm(37), Mm(28)
BOTTOM, RIGHT = Mm(297 - 37 - 225), Mm(210 - 28 - 156)
LINES, CHARS = 22, 28


class Grid:
    """Lines and characters of the text block. The 公文 grid is 22 × 28 in 三号: 225 mm / 22 lines =
    28.99 pt a line (rounded down to whole twips so 22 always fit) and 156 mm / 28 = 15.79 pt a
    character, a 16 pt character condensed by a quarter point. Forms that must fit a page (the
    rectification order and its receipt) use the same block in 四号: 28 lines of 31 characters."""

    def __init__(self, size: float, lines: int) -> None:
        self.size = size
        self.lines = lines
        self.pitch = Twips(math.floor(TEXT_HEIGHT.twips / lines))
        self.chars = int(TEXT_WIDTH.pt // size)
        self.spacing = Twips(math.floor((TEXT_WIDTH.pt / self.chars - size) * 20))
        self.advance = size + self.spacing.pt


GONGWEN_GRID = Grid(16, LINES)
FORM_GRID = Grid(14, 28)
LINE_PITCH = GONGWEN_GRID.pitch

# 字号 in points.
ERHAO, SANHAO, SIHAO, XIAOSI, WUHAO = 22, 16, 14, 12, 10.5
BODY_SIZE = SANHAO

# Each family: the name offices have first, then the fallbacks in order (see the module docstring).
FONTS: dict[str, tuple[str, ...]] = {
    "title": ("方正小标宋简体", "方正小标宋_GBK", "华文中宋", "STZhongsong", "Noto Serif CJK SC"),
    "body": ("仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC"),
    "heading1": ("黑体", "SimHei", "STHeiti", "Noto Sans CJK SC"),
    "heading2": ("楷体_GB2312", "楷体", "KaiTi", "STKaiti", "AR PL UKai CN"),
    "page": ("宋体", "SimSun", "STSong", "Noto Serif CJK SC"),
}
TITLE, BODY, HEADING1, HEADING2, PAGE = (
    FONTS[k][0] for k in ("title", "body", "heading1", "heading2", "page")
)

NUMERALS = "一二三四五六七八九十"
# Places a title may break after (GB/T 9704 §7.3.3: 回行时要做到词意完整): function words and the
# usual nouns of our titles. A break elsewhere is allowed only when none of these gives balanced lines.
_BREAK_AFTER = (
    "关于",
    "的",
    "和",
    "与",
    "及",
    "、",
    "，",
    "镇",
    "村",
    "社区",
    "单位",
    "整治",
    "工作",
    "情况",
    "专项",
    "进展",
)


def cn_date(day: datetime.date) -> str:
    """成文日期 in Arabic numerals without padding: 2026年1月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


def doc_number(prefix: str, year: int, sequence: int) -> str:
    """发文字号: the organ's prefix, the year in 六角括号, no padding (东风责改〔2026〕1号)."""
    return f"{prefix}〔{year}〕{sequence}号"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (heading numbers)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


def break_title(text: str, per_line: int = 18) -> list[str]:
    """The title's lines: as few as fit `per_line` characters, the breaks at word boundaries, no line
    under a third of the longest (so never "报" alone), the upper lines at least as long (梯形)."""
    text = text.strip()
    if len(text) <= per_line:
        return [text]
    count = math.ceil(len(text) / per_line)
    while True:
        found = _split(text, count, per_line)
        if found:
            return found
        count += 1


def _split(text: str, count: int, per_line: int) -> list[str] | None:
    if count == 1:
        return [text] if len(text) <= per_line else None
    ideal = len(text) / count
    candidates = []
    for cut in range(2, min(per_line, len(text) - 2) + 1):
        rest = text[cut:]
        if math.ceil(len(rest) / per_line) > count - 1:
            continue
        natural = any(text[:cut].endswith(w) for w in _BREAK_AFTER)
        # Prefer natural breaks, then balance, then a slightly longer upper line.
        score = abs(cut - ideal) + (0 if natural else 4) + (0.5 if cut < len(rest) else 0)
        candidates.append((score, cut))
    for _score, cut in sorted(candidates):
        tail = _split(text[cut:], count - 1, per_line)
        if tail is None:
            continue
        lines = [text[:cut], *tail]
        if min(map(len, lines)) * 3 >= max(map(len, lines)) and min(map(len, lines)) >= 3:
            return lines
    return None


# --- low-level XML helpers ------------------------------------------------------------------------------


def _put(parent, child):
    """Insert `child` where the schema's sequence wants it (Word refuses out-of-order properties),
    replacing an element of the same tag."""
    old = parent.find(child.tag)
    if old is not None:
        parent.replace(old, child)
        return child
    order = [qn(t) for t in getattr(parent, "_tag_seq", ())]
    if child.tag in order:
        later = set(order[order.index(child.tag) + 1 :])
        for i, sibling in enumerate(parent):
            if sibling.tag in later:
                parent.insert(i, child)
                return child
    parent.append(child)
    return child


def _set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = _put(rpr, OxmlElement("w:lang"))
    lang.set(qn("w:val"), LANG)
    lang.set(qn("w:eastAsia"), LANG)
    lang.set(qn("w:bidi"), "ar-SA")


def _set_fonts(rpr, name: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = _put(rpr, OxmlElement("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def style_run(
    run,
    *,
    font: str = BODY,
    size: float = BODY_SIZE,
    bold: bool = False,
    color=None,
    grid: Grid | None = None,
) -> None:
    """Every run: its font by name for Latin and East Asian text, its size, zh-CN; text in the grid's
    size gets the grid's character spacing."""
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    _set_fonts(rpr, font)
    _set_lang(rpr)
    if grid is not None and size == grid.size and grid.spacing.twips:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(grid.spacing.twips))
        _put(rpr, spacing)


def _border(paragraph, side: str, *, color: str = "E60012", size_eighths: int = 8) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = _put(ppr, OxmlElement("w:pBdr"))
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size_eighths))
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), color)
    borders.append(edge)


def _off_grid(paragraph) -> None:
    """Text not in the body size ignores the 28-character grid (it would be spaced to whole cells)."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    _put(paragraph._p.get_or_add_pPr(), snap)


def _field(paragraph, instruction: str, **style) -> None:
    """A field (PAGE) as begin/instr/separate/result/end runs, each styled like the text around it."""
    parts = (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None))
    for kind, text in parts:
        run = paragraph.add_run()
        style_run(run, **style)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._element.append(instr)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)


class Gongwen:
    """A document under construction. Methods add the parts in the order of GB/T 9704-2012; `docx()`
    returns the file's bytes."""

    def __init__(self, grid: Grid = GONGWEN_GRID) -> None:
        self.grid = grid
        self.doc = Document()
        self._setup_page()
        self._setup_styles()
        self._setup_fonts_table()
        self._page_numbers()
        # python-docx's template starts with one empty paragraph-less body; nothing to remove.

    # --- set-up ------------------------------------------------------------------------------------

    def _setup_page(self) -> None:
        section = self.doc.sections[0]
        section.start_type = WD_SECTION_START.NEW_PAGE
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = TOP, BOTTOM
        section.left_margin, section.right_margin = LEFT, RIGHT
        section.header_distance = Mm(15)
        # The page number's dashes sit about 7 mm under the text block (GB/T 9704 §7.5).
        section.footer_distance = Mm(21)
        section.gutter = Mm(0)
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        # The line grid (22 lines). The 28 characters come from the body runs' character spacing
        # (Grid.spacing): LibreOffice lays a character wider than a grid cell over two cells, so a
        # "linesAndChars" grid would print 14 characters a line there.
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(self.grid.pitch.twips))
        self.doc.settings.odd_and_even_pages_header_footer = True

    def _setup_styles(self) -> None:
        styles = self.doc.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_fonts(rpr, BODY)
        _set_lang(rpr)
        # The character grid is counted in the default size (LibreOffice reads it from here, Word from
        # Normal): both are 三号.
        for tag in ("w:sz", "w:szCs"):
            size = OxmlElement(tag)
            size.set(qn("w:val"), str(int(self.grid.size * 2)))
            _put(rpr, size)
        normal = styles["Normal"]
        normal.font.name = BODY
        normal.font.size = Pt(self.grid.size)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = self.grid.pitch
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = True
        for style in styles:
            element = style.element
            if element.type not in (1, 2):  # paragraph and character styles carry run properties
                continue
            rpr = element.get_or_add_rPr()
            _set_lang(rpr)
            if style.name == "Normal":
                _set_fonts(rpr, BODY)

    def _setup_fonts_table(self) -> None:
        """Declare each family's first name with its next as the alternative and the GB2312 charset."""
        part = self.doc.part
        table = None
        for rel in part.rels.values():
            if rel.reltype.endswith("/fontTable"):
                table = rel.target_part
        if table is None:
            return
        from docx.oxml import parse_xml

        root = parse_xml(table.blob)
        for family, names in FONTS.items():
            font = OxmlElement("w:font")
            font.set(qn("w:name"), names[0])
            alt = OxmlElement("w:altName")
            alt.set(qn("w:val"), names[1])
            font.append(alt)
            charset = OxmlElement("w:charset")
            charset.set(qn("w:val"), "86")  # GB2312
            font.append(charset)
            family_el = OxmlElement("w:family")
            family_el.set(qn("w:val"), "modern" if family == "heading1" else "roman")
            font.append(family_el)
            root.append(font)
        from lxml import etree

        table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _page_numbers(self) -> None:
        """— 1 — in 四号 宋体: odd pages right, even pages left, one character in from the text edge."""
        section = self.doc.sections[0]
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0]
            _off_grid(p)
            p.alignment = align
            fmt = p.paragraph_format
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                fmt.right_indent = Pt(SIHAO)
            else:
                fmt.left_indent = Pt(SIHAO)
            style = {"font": PAGE, "size": SIHAO}
            style_run(p.add_run("— "), **style)
            _field(p, "PAGE", **style)
            style_run(p.add_run(" —"), **style)

    # --- paragraphs --------------------------------------------------------------------------------

    def paragraph(
        self,
        text: str = "",
        *,
        font: str = BODY,
        size: float | None = None,
        bold: bool = False,
        color=None,
        align=None,
        indent: bool = True,
        keep_with_next: bool = False,
        lines: float = 1,
    ):
        """A paragraph of one style: body text indented two characters unless aligned or told not to."""
        size = size or self.grid.size
        p = self.doc.add_paragraph()
        fmt = p.paragraph_format
        if align is not None:
            p.alignment = align
        elif indent:
            fmt.first_line_indent = Pt(self.grid.advance * 2 if size == self.grid.size else size * 2)
        if lines != 1 or size > self.grid.size:
            pitch = self.grid.pitch
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Twips(round(pitch.twips * max(lines, math.ceil(size * 1.3 / pitch.pt))))
        fmt.keep_with_next = keep_with_next
        if size != self.grid.size:
            _off_grid(p)
        if text:
            self.run(p, text, font=font, size=size, bold=bold, color=color)
        return p

    def run(self, paragraph, text: str, *, size: float | None = None, **style):
        """A run of text in a paragraph, in the document's body style unless told otherwise."""
        run = paragraph.add_run(text)
        style_run(run, size=size or self.grid.size, grid=self.grid, **style)
        return run

    def blank(self, count: int = 1) -> None:
        for _ in range(count):
            self.paragraph(indent=False)

    def masthead(self, organ: str, *, number: str = "", left: str = "", right: str = "") -> None:
        """版头: the issuing organ's mark in red 小标宋, centred; then 发文字号 (or the issue line of a
        bulletin: compiler on the left, date on the right); then the red rule across the text width."""
        for line in organ.split("\n"):
            # 小标宋 at most 36 pt; a long name is narrowed (character scale) to stay on one line.
            size = 36 if len(line) <= 11 else 30
            p = self.paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, size=size)
            run = p.add_run(line)
            style_run(run, font=TITLE, size=size, color=RED)
            scale = math.floor(100 * (TEXT_WIDTH.pt - size) / (len(line) * size))
            if scale < 100:
                width = OxmlElement("w:w")
                width.set(qn("w:val"), str(scale))
                _put(run._element.get_or_add_rPr(), width)
        self.blank()
        if number:
            p = self.paragraph(number, align=WD_ALIGN_PARAGRAPH.CENTER)
        if left or right:
            p = self.paragraph(indent=False, size=SIHAO)
            p.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, alignment=2)  # right
            style_run(p.add_run(f"{left}\t{right}"), size=SIHAO)
        _border(p, "bottom", size_eighths=12)

    def title(self, text: str, *, size: float = ERHAO, color=None) -> None:
        """The title, 二号 小标宋, centred, broken at word boundaries (break_title), one blank line before."""
        self.blank()
        per_line = int(TEXT_WIDTH.pt // size) - 2
        p = self.paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, size=size, keep_with_next=True)
        for i, line in enumerate(break_title(text, per_line)):
            run = p.add_run(line)
            style_run(run, font=TITLE, size=size, color=color)
            if i < len(break_title(text, per_line)) - 1:
                run.add_break(WD_BREAK.LINE)
        self.blank()

    def addressee(self, text: str) -> None:
        """主送机关: flush left, ending with a full-width colon."""
        self.paragraph(text if text.endswith("：") else f"{text}：", indent=False)

    def body(self, text: str, **kwargs) -> None:
        for line in text.splitlines():
            if line.strip():
                self.paragraph(line.strip(), **kwargs)

    def heading(self, index: int, text: str) -> None:
        """一、… in 黑体 (first level)."""
        self.paragraph(f"{chinese_numeral(index)}、{text}", font=HEADING1, keep_with_next=True)

    def subheading(self, index: int, text: str) -> None:
        """（一）… in 楷体 (second level)."""
        self.paragraph(f"（{chinese_numeral(index)}）{text}", font=HEADING2, keep_with_next=True)

    def table(self, header: Sequence[str], rows: Iterable[Sequence], *, size: float = XIAOSI) -> None:
        """A grid table across the text width, columns as wide as their longest cell asks (within
        limits), text in 仿宋 小四, the header in 黑体 and repeated on every page."""
        rows = [[str(c) for c in row] for row in rows]
        widths = _column_widths([list(header), *rows], TEXT_WIDTH.twips, size)
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
            col.w = Twips(width)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _table_width(table, TEXT_WIDTH.twips)
        header_row = table.rows[0]
        _repeat_header(header_row)
        for row_values, font in ((header, HEADING1), *((r, BODY) for r in rows)):
            row = header_row if font == HEADING1 else table.add_row()
            _cant_split(row)
            for cell, text, width in zip(row.cells, row_values, widths, strict=True):
                cell.width = Twips(width)
                p = cell.paragraphs[0]
                p.paragraph_format.first_line_indent = None
                _off_grid(p)
                p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                p.paragraph_format.line_spacing = Pt(size * 1.5)
                if font == HEADING1:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                style_run(p.add_run(str(text)), font=font, size=size)

    def attachments(self, names: Sequence[str]) -> None:
        """附件说明: one blank line under the body, "附件：1．…", aligned under the first name."""
        if not names:
            return
        self.blank()
        for i, name in enumerate(names, start=1):
            lead = "附件：" if i == 1 else "　　　"
            number = f"{i}．" if len(names) > 1 else ""
            self.paragraph(f"{lead}{number}{name}")

    def signature(self, organ: str, day: datetime.date, *, seal_lines: int = 2) -> None:
        """发文机关署名 and 成文日期, the date right-aligned four characters in, the organ centred over it;
        with a seal, three blank lines above for the impression (加盖印章的公文, GB/T 9704 §7.3.5.1)."""
        date = cn_date(day)
        # Never a page holding only the signature and date: the last body paragraph keeps with them.
        paragraphs = self.doc.paragraphs
        if paragraphs:
            paragraphs[-1].paragraph_format.keep_with_next = True
        for _ in range(seal_lines):
            self.paragraph(indent=False, keep_with_next=True)
        # Right indents put the date four characters from the right edge and centre the organ on it.
        date_indent = 4
        organ_indent = date_indent + (len(date) - len(organ)) / 2 if len(organ) < len(date) else date_indent
        p = self.paragraph(organ, align=WD_ALIGN_PARAGRAPH.RIGHT, keep_with_next=True)
        p.paragraph_format.right_indent = Pt(self.grid.advance * max(organ_indent, 0))
        p = self.paragraph(date, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(self.grid.advance * date_indent)

    def imprint(self, *, lines: Sequence[str] = (), printer: str, printed_on: datetime.date) -> None:
        """版记 (GB/T 9704 §7.4): `lines` ("抄送：…"; a bulletin's "报：…", "送：…"), then 印发机关
        (left) and 印发日期 (right), 四号 仿宋, between rules (the first and last thicker), one blank
        line under the signature. (Pinning it to the page foot needs a floating table, whose position
        LibreOffice 7.4 ignores; so it follows the signature on the last page.)"""
        self.blank()
        rows = [*((line, None) for line in lines), (printer, cn_date(printed_on) + "印发")]
        table = self.doc.add_table(rows=len(rows), cols=2)
        table.autofit = False
        _table_width(table, TEXT_WIDTH.twips)
        # 2026年12月31日印发 and the one-character right space, with the cell's margins: twelve characters.
        date_width = Twips(round(SIHAO * 20 * 12))
        widths = (Twips(TEXT_WIDTH.twips - date_width.twips), date_width)
        for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
            col.w = width
        last = len(rows) - 1
        for i, (row, (left, right)) in enumerate(zip(table.rows, rows, strict=True)):
            _cant_split(row)
            cells = list(row.cells)
            for cell, width in zip(cells, widths, strict=True):
                cell.width = width
            if right is None:
                cells = [cells[0].merge(cells[1])]
            for j, (cell, text) in enumerate(zip(cells, (left, right), strict=False)):
                _cell_borders(cell, top="12" if i == 0 else "4", bottom="12" if i == last else None)
                p = cell.paragraphs[0]
                _off_grid(p)
                fmt = p.paragraph_format
                fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                fmt.line_spacing = self.grid.pitch
                if j == 0:
                    fmt.left_indent = Pt(SIHAO)
                else:
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                    fmt.right_indent = Pt(SIHAO)
                style_run(p.add_run(text), size=SIHAO)

    def tear_off(self, heading: str, lines: Sequence[str]) -> None:
        """A tear-off block (送达回执): a dashed cut line, the heading and the lines in one table cell
        whose row may not split, so the block is never divided between pages (it moves whole)."""
        table = self.doc.add_table(rows=1, cols=1)
        table.autofit = False
        _table_width(table, TEXT_WIDTH.twips)
        table._tbl.tblGrid.gridCol_lst[0].w = TEXT_WIDTH
        row = table.rows[0]
        _cant_split(row)
        cell = row.cells[0]
        cell.width = TEXT_WIDTH
        _cell_borders(cell, top="8", style="dashed")
        first = cell.paragraphs[0]
        for i, text in enumerate([heading, *lines]):
            p = first if i == 0 else cell.add_paragraph()
            fmt = p.paragraph_format
            fmt.keep_together = fmt.keep_with_next = True
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = self.grid.pitch
            if i == 0:
                fmt.space_before = Pt(self.grid.size / 2)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self.run(p, "　".join(heading), font=HEADING1)
            else:
                self.run(p, text)

    def docx(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _column_widths(rows: list[list[str]], total: int, size: float) -> list[int]:
    """Widths in twips: each column asks for its longest cell (a CJK character is one em, other
    characters half), at least two characters and the header; a column asking more than its share is
    what gives way when the asks exceed the width."""

    def ems(text: str) -> float:
        return sum(1 if ord(c) > 0x2E80 else 0.55 for c in text)

    padding = 1.0  # cell margins, in ems
    asks = []
    for col in range(len(rows[0])):
        longest = max(ems(r[col]) for r in rows)
        asks.append(max(longest, ems(rows[0][col]), 2) + padding)
    em = size * 20  # twips
    needed = [a * em for a in asks]
    if sum(needed) <= total:
        spare = total - sum(needed)
        return [round(n + spare * n / sum(needed)) for n in needed]
    # Too wide: the columns asking no more than an even share keep their asks; the others share the rest
    # in proportion to what they ask (so 内容 wraps, 目标 does not).
    fair = total / len(needed)
    rest = total - sum(n for n in needed if n <= fair)
    long_total = sum(n for n in needed if n > fair)
    return [round(n if n <= fair else rest * n / long_total) for n in needed]


def _table_width(table, twips: int) -> None:
    tblpr = table._tbl.tblPr
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(twips))
    width.set(qn("w:type"), "dxa")
    _put(tblpr, width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    _put(tblpr, layout)


def _repeat_header(row) -> None:
    _put(row._tr.get_or_add_trPr(), OxmlElement("w:tblHeader"))


def _cant_split(row) -> None:
    _put(row._tr.get_or_add_trPr(), OxmlElement("w:cantSplit"))


def _row_height(row, twips: int) -> None:
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(twips))
    height.set(qn("w:hRule"), "atLeast")
    _put(row._tr.get_or_add_trPr(), height)


def _cell_borders(cell, *, top: str | None = None, bottom: str | None = None, style: str = "single") -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side, size in (("top", top), ("left", None), ("bottom", bottom), ("right", None)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), style if size else "nil")
        if size:
            edge.set(qn("w:sz"), size)
            edge.set(qn("w:color"), "000000")
            edge.set(qn("w:space"), "0")
        borders.append(edge)
    _put(tcpr, borders)
