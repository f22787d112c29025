"""Printing from the window: the preview dialog, the printer and PDF files.

desktop.printing knows the office's forms (office_forms), what fills them (PrintSource) and
lays a form out as a PDF (reportlab, no Qt). Here that PDF is rendered to bytes off the UI
thread (desktop.ui.background), shown with QtPdf, printed page by page at 100 % onto a
QPrinter, or saved. Each place that prints (表单打印, a case's step, the case list) describes
what fills the form as a PrintSource and calls ``preview_form``.

Message boxes and the system dialogs are module functions, so tests replace them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QRect,
    QRectF,
    QSize,
    QSizeF,
    QStandardPaths,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QKeySequence, QPageLayout, QPageSize, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.cases.service import CaseError
from desktop.errors import os_error_text
from desktop.office import SHOWN_IN_PRINT, SHOWN_IN_WINDOW, Office
from desktop.printing import (
    BODY_FONTS,
    FontUnavailable,
    Form,
    FormError,
    MissingGlyphs,
    RenderResult,
)
from desktop.printing.fonts import MISSING_MARK, SIMSUN, typefaces
from desktop.printing.jobs import (
    PrintRequestError,
    PrintSource,
    case_source,
    record_whole_numbers,
    suggested_file_name,
)
from desktop.printing.office_forms import office_forms
from desktop.printing.render import render_to_bytes, write_atomically
from desktop.ui.background import BackgroundJob

log = logging.getLogger(__name__)

MAX_PRINT_DPI = 600  # finer than any office laser prints; caps the raster for 1200 dpi devices
STRIPE_PX = 1024  # a page is rasterised a band at a time, so a 600 dpi A4 page needs ~20 MB
ZOOMS = (
    ("适合宽度", QPdfView.ZoomMode.FitToWidth, 1.0),
    ("整页", QPdfView.ZoomMode.FitInView, 1.0),
    ("50%", QPdfView.ZoomMode.Custom, 0.5),
    ("75%", QPdfView.ZoomMode.Custom, 0.75),
    ("100%", QPdfView.ZoomMode.Custom, 1.0),
    ("125%", QPdfView.ZoomMode.Custom, 1.25),
    ("150%", QPdfView.ZoomMode.Custom, 1.5),
    ("200%", QPdfView.ZoomMode.Custom, 2.0),
)

STYLE_SHEET = """
QLabel#printNotice { background: #fff8e6; border: 1px solid #f0c36d; border-radius: 4px;
    padding: 6px 8px; }
QLabel#printStatus { color: #555; }
QPushButton#primaryButton { background: #2f6fde; color: white; border: none; border-radius: 4px;
    padding: 6px 18px; font-weight: bold; }
QPushButton#primaryButton:hover { background: #285fc0; }
QPushButton#primaryButton:disabled { background: #9db8ea; }
QPdfView { background: #8a8f98; }
"""


# --- dialogs, kept as small functions so tests can replace them ------------------------------


def warn(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def ask_print_anyway(parent: QWidget | None, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Warning, "有字印不出来", text, parent=parent)
    anyway = box.addButton("仍然打印", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is anyway


def ask_print_the_rest(parent: QWidget | None, text: str, rest: int, title: str) -> bool:
    """Some selected cases may not go on the sheet or notice ``title``: print the other
    ``rest``?"""
    box = QMessageBox(QMessageBox.Icon.Warning, f"有案件不能列入{title}", text, parent=parent)
    others = box.addButton(f"只打印其余 {rest} 件", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is others


def pick_item(
    parent: QWidget | None, title: str, label: str, items: Sequence[str], current: int = 0
) -> int | None:
    """The index the clerk picked from ``items``, or None when cancelled."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setComboBoxItems(list(items))
    dialog.setComboBoxEditable(False)
    dialog.setTextValue(items[current] if 0 <= current < len(items) else "")
    dialog.setOkButtonText("确定")
    dialog.setCancelButtonText("取消")
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.textValue() not in items:
        return None
    return list(items).index(dialog.textValue())


def choose_save_path(parent: QWidget | None, suggested: Path) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, "另存为 PDF", str(suggested), "PDF 文件 (*.pdf)")
    return path


def choose_printer(parent: QWidget | None, printer: QPrinter, pages: int) -> bool:
    """The system print dialog; True when the clerk pressed 打印."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印")
    dialog.setMinMax(1, pages)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintSelection, False)
    return dialog.exec() == QDialog.DialogCode.Accepted


# --- the system's places, and rasterising ----------------------------------------------------


def documents_dir() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location) if location else Path.home()


class PdfBytes:
    """A QPdfDocument over PDF bytes in memory; the buffer lives as long as the document."""

    def __init__(self, content: bytes, document: QPdfDocument | None = None):
        self.buffer = QBuffer()
        self.buffer.setData(QByteArray(content))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = document if document is not None else QPdfDocument()
        self.document.load(self.buffer)

    @property
    def ready(self) -> bool:
        return self.document.status() == QPdfDocument.Status.Ready

    def close(self) -> None:
        self.document.close()
        self.buffer.close()


def page_image(document: QPdfDocument, page: int, width: int) -> QImage:
    """One page at ``width`` pixels, on white paper (QtPdf leaves the page transparent)."""
    size = document.pagePointSize(page)
    height = max(1, round(width * size.height() / size.width()))
    rendered = document.render(page, QSize(width, height))
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return image


def first_page_image(content: bytes, width: int) -> QImage:
    pdf = PdfBytes(content)
    try:
        if not pdf.ready or pdf.document.pageCount() < 1:
            return QImage()
        return page_image(pdf.document, 0, width)
    finally:
        pdf.close()


def page_size_of(points: QSizeF) -> QPageSize:
    """The paper for a page of this size, named (A4) when it is a standard one."""
    portrait = QSizeF(min(points.width(), points.height()), max(points.width(), points.height()))
    return QPageSize(
        portrait, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyOrientationMatch
    )


def orientation_of(points: QSizeF) -> QPageLayout.Orientation:
    if points.width() > points.height():
        return QPageLayout.Orientation.Landscape
    return QPageLayout.Orientation.Portrait


class PrintFailed(Exception):
    pass


def print_pages(
    document: QPdfDocument,
    printer: QPrinter,
    first: int,
    last: int,
    page_done: Callable[[int], None] | None = None,
) -> int:
    """Paint pages ``first``–``last`` (from 1) onto ``printer`` at their real size (100 %).

    Each page is rasterised at the printer's resolution (at most MAX_PRINT_DPI) in bands and
    drawn from the paper's corner, never fitted to the printable area: an official form keeps
    its measurements. Returns the number of pages printed.
    """
    resolution = printer.resolution()
    raster_dpi = min(resolution, MAX_PRINT_DPI)
    scale = resolution / raster_dpi
    printer.setFullPage(True)
    painter = QPainter()
    printed = 0
    previous = None
    for page in range(first - 1, last):
        points = document.pagePointSize(page)
        if previous is not None and points != previous:
            # A page of another size or orientation; the first page's paper is the one the
            # clerk confirmed in the print dialog.
            printer.setPageSize(page_size_of(points))
            printer.setPageOrientation(orientation_of(points))
        previous = points
        if printed == 0:
            if not painter.begin(printer):
                raise PrintFailed("打印机没有接受打印任务，请检查打印机是否连接、是否有纸。")
        elif not printer.newPage():
            painter.end()
            raise PrintFailed("打印机在换页时出错，打印没有完成。")
        if scale != 1:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        width = round(points.width() * raster_dpi / 72)
        height = round(points.height() * raster_dpi / 72)
        for top in range(0, height, STRIPE_PX):
            band = min(STRIPE_PX, height - top)
            options = QPdfDocumentRenderOptions()
            options.setScaledSize(QSize(width, height))
            options.setScaledClipRect(QRect(0, top, width, band))
            image = document.render(page, QSize(width, band), options)
            painter.drawImage(QRectF(0, top * scale, width * scale, band * scale), image)
        printed += 1
        if page_done is not None:
            page_done(printed)
    if printed:
        painter.end()
    return printed


def missing_glyphs_text(missing: Iterable[tuple[str, str]]) -> str:
    lines = [f"　· {where}：“{char}”（U+{ord(char):04X}）" for where, char in missing]
    return (
        "下面这些字，打印用的字体里都没有，印不出来：\n"
        + "\n".join(lines[:12])
        + (f"\n　…… 共 {len(lines)} 处" if len(lines) > 12 else "")
        + f"\n\n选“仍然打印”，这些字印成“{MISSING_MARK}”，打印后请用笔补写；"
        "\n选“取消”，可以先到“人员/单位”中核对档案里的写法。"
    )


# --- the preview dialog ----------------------------------------------------------------------


class FormPreviewDialog(QDialog):
    """The form as it will print: pages, zoom, whole ID numbers on request, 打印…, 另存为 PDF…."""

    rendered = Signal()

    def __init__(
        self, office: Office, form: Form, source: PrintSource, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.office = office
        self.form = form
        self.source = source
        self.pdf_bytes = b""
        self.render_result: RenderResult | None = None
        self.ready = False
        self.failed = False  # the data could not be gathered; the dialog is not shown
        self._allow_missing = False
        self._job: BackgroundJob[tuple[bytes, RenderResult]] | None = None
        self._pdf: PdfBytes | None = None
        self.setStyleSheet(STYLE_SHEET)
        shown = f"（{source.number}）" if source.number else "（空白表）"
        self.setWindowTitle(f"打印预览 — {form.title}{shown}")

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdfPreview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.pageNavigator().currentPageChanged.connect(self._show_page_number)

        self.page_label = QLabel("正在生成……")
        self.page_label.setObjectName("printStatus")
        self.page_label.setMinimumWidth(120)
        self.zoom_combo = QComboBox()
        for text, _mode, _factor in ZOOMS:
            self.zoom_combo.addItem(text)
        self.zoom_combo.setToolTip("缩放只影响屏幕上的显示，打印总是按原尺寸（100%）")
        self.zoom_combo.currentIndexChanged.connect(self._zoom_changed)
        self.reveal_box = QCheckBox("显示完整证件号码")
        self.reveal_box.setToolTip(
            "打印件上印出完整的身份证号码和手机号码。\n只在这张表确需完整号码时勾选；默认打码。\n"
            "显示、打印和另存完整号码都记入案件的办理记录。"
        )
        self.reveal_box.setEnabled(source.personal)
        self.reveal_box.toggled.connect(self._reveal_toggled)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.page_label)
        top.addWidget(QLabel("缩放"))
        top.addWidget(self.zoom_combo)
        top.addSpacing(12)
        top.addWidget(self.reveal_box)
        top.addStretch(1)

        self.notice = QLabel()
        self.notice.setObjectName("printNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.save_button = QPushButton("另存为 PDF…")
        self.save_button.setToolTip("把这张表保存为 PDF 文件（Ctrl+S）")
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button = QPushButton("打印…")
        self.print_button.setObjectName("primaryButton")
        self.print_button.setToolTip(
            "选择打印机和页码后打印（Ctrl+P）。按原尺寸（100%）打印，不缩放到纸张，"
            "请不要在打印机设置里选“适合页面”。"
        )
        self.print_button.clicked.connect(self.print_document)
        close_button = QPushButton("关闭")
        close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.setSpacing(8)
        self.status = QLabel()
        self.status.setObjectName("printStatus")
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.print_button)
        bottom.addWidget(close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

        for keys, slot in (
            (QKeySequence.StandardKey.Print, self.print_document),
            (QKeySequence.StandardKey.Save, self.save_pdf),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)

        self._fit_to_screen()
        self._set_ready(False)
        self.render_form()

    def _fit_to_screen(self) -> None:
        screen = (self.parentWidget() or self).screen()
        available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 900)
        self.resize(min(900, available.width() - 40), max(480, available.height() - 80))

    # --- rendering

    def _reveal_toggled(self, on: bool) -> None:
        if on:
            self._record_whole_numbers(SHOWN_IN_WINDOW, f"打印预览“{self.form.title}”")
        self.render_form()

    def _record_whole_numbers(self, place: str, purpose: str) -> None:
        """The shown or printed PDF has whole numbers: kept in each case's record."""
        if self.reveal_box.isChecked():
            record_whole_numbers(self.office, self.source, place, purpose)

    def render_form(self) -> None:
        """Build the data and render the PDF off the UI thread; the view follows when done."""
        if self._job is not None:
            self._job.cancel()
        reveal = self.reveal_box.isChecked()
        try:
            data = self.source.build(reveal)
        except CaseError as error:
            warn(self, "无法填写表单", str(error))
            self.failed = True
            self.reject()
            return
        form, font, allow = self.form, self.office.print_body_font, self._allow_missing
        self._set_ready(False)
        self.status.setText("正在生成……")
        self._job = BackgroundJob(
            lambda _report: render_to_bytes(form, data, font, reveal, allow),
            self,
            self._rendered,
            self._render_failed,
            busy_text=f"正在生成“{form.title}”……",
        ).start()

    def _rendered(self, outcome: tuple[bytes, RenderResult]) -> None:
        self._job = None
        content, result = outcome
        old = self._pdf
        self._pdf = PdfBytes(content, self.document)
        if old is not None:
            old.buffer.close()
        if not self._pdf.ready:
            warn(self, "无法预览", "生成的 PDF 无法显示，请把日志发给维护人员。")
            log.error("QtPdf could not read the rendered %s (%d bytes)", self.form.id, len(content))
            self.reject()
            return
        self.pdf_bytes, self.render_result = content, result
        self._show_page_number(self.view.pageNavigator().currentPage())
        self._show_notices(result)
        revealed = "，证件号码完整" if self.reveal_box.isChecked() else "，证件号码已打码"
        self.status.setText(
            f"A4 原尺寸打印{revealed if self.source.personal else ''}　字体：{self._font_label()}"
        )
        self._set_ready(True)
        self.rendered.emit()

    def _render_failed(self, error: BaseException) -> None:
        self._job = None
        if isinstance(error, MissingGlyphs):
            if ask_print_anyway(self, missing_glyphs_text(error.missing)):
                self._allow_missing = True
                self.render_form()
            else:
                self.reject()
            return
        if isinstance(error, (FontUnavailable, FormError, CaseError, OSError)):
            warn(self, "无法生成表单", str(error))
            self.reject()
            return
        raise error

    def _font_label(self) -> str:
        return BODY_FONTS.get(self.office.print_body_font, self.office.print_body_font)

    def _show_notices(self, result: RenderResult) -> None:
        lines = list(result.warnings)
        if result.missing:
            chars = "、".join(f"{where}“{char}”" for where, char in result.missing[:6])
            lines.append(
                f"有 {len(result.missing)} 个字没有字体，印成“{MISSING_MARK}”：{chars}。"
                "打印后请用笔补写。"
            )
        self.notice.setText("\n".join(lines))
        self.notice.setVisible(bool(lines))

    def _set_ready(self, ready: bool) -> None:
        self.ready = ready
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)
        self.reveal_box.setEnabled(ready and self.source.personal)

    def page_count(self) -> int:
        return self.document.pageCount() if self.ready else 0

    def _show_page_number(self, page: int) -> None:
        total = self.document.pageCount()
        if total:
            self.page_label.setText(f"第 {page + 1} 页 / 共 {total} 页")

    def _zoom_changed(self, index: int) -> None:
        _text, mode, factor = ZOOMS[index]
        self.view.setZoomMode(mode)
        if mode == QPdfView.ZoomMode.Custom:
            self.view.setZoomFactor(factor)

    # --- 另存为 PDF

    def save_pdf(self) -> Path | None:
        if not self.ready:
            return None
        suggested = documents_dir() / suggested_file_name(self.form, self.source.number)
        chosen = choose_save_path(self, suggested)
        if not chosen:
            return None
        target = Path(chosen)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        self._record_whole_numbers(SHOWN_IN_PRINT, f"另存为 PDF“{self.form.title}”：{target}")
        try:
            write_atomically(target, self.pdf_bytes)
        except OSError as error:
            warn(self, "无法保存", f"无法保存到 {target}：{os_error_text(error)}。")
            return None
        self.status.setText(f"已保存：{target}")
        return target

    # --- 打印

    def print_document(self) -> int:
        """Ask for the printer and the pages, then print them at 100 %; returns pages printed."""
        if not self.ready:
            return 0
        total = self.document.pageCount()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle().removeprefix("打印预览 — "))
        printer.setCreator("UnionDesk")
        first_page = self.document.pagePointSize(0)
        printer.setPageSize(page_size_of(first_page))
        printer.setPageOrientation(orientation_of(first_page))
        printer.setFullPage(True)
        printer.setFromTo(1, total)
        if not choose_printer(self, printer, total):
            return 0
        first, last = 1, total
        if printer.printRange() == QPrinter.PrintRange.PageRange:
            first = max(1, printer.fromPage() or 1)
            last = min(total, printer.toPage() or total)
        elif printer.printRange() == QPrinter.PrintRange.CurrentPage:
            first = last = self.view.pageNavigator().currentPage() + 1
        if first > last:
            warn(self, "无法打印", f"页码范围不对：本表共 {total} 页。")
            return 0
        where = printer.printerName() or printer.outputFileName()
        self._record_whole_numbers(SHOWN_IN_PRINT, f"送往打印机“{self.form.title}”：{where}")
        progress = QProgressDialog("正在打印……", "", 0, last - first + 1, self)
        progress.setWindowTitle("打印")
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(500)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            printed = print_pages(self.document, printer, first, last, progress.setValue)
        except PrintFailed as error:
            warn(self, "打印没有完成", str(error))
            return 0
        finally:
            QApplication.restoreOverrideCursor()
            progress.close()
            progress.deleteLater()
        self.status.setText(f"已送往打印机：{printed} 页（第 {first}–{last} 页）")
        return printed

    def done(self, result: int) -> None:
        if self._job is not None:
            self._job.cancel()
            self._job = None
        super().done(result)


def preview_form(
    parent: QWidget | None, office: Office, form: Form, source: PrintSource
) -> FormPreviewDialog:
    """Open the preview (window-modal, deleted when closed) and start rendering."""
    dialog = FormPreviewDialog(office, form, source, parent)
    if not dialog.failed:  # already said why; it stays hidden and goes with its parent
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
    return dialog


def preview_case_form(
    parent: QWidget | None, office: Office, form_id: str, case_id: int
) -> FormPreviewDialog | None:
    """Preview one of the office's forms filled from a case; says why when it cannot."""
    catalogue = office_forms(office)
    form = catalogue.forms.get(form_id)
    if form is None:
        reason = str(catalogue.error) if catalogue.error else f"没有表单文件 forms/{form_id}.toml。"
        warn(parent, "无法打印", reason)
        return None
    try:
        source = case_source(office, form, case_id)
    except PrintRequestError as error:
        warn(parent, "无法打印", str(error))
        return None
    return preview_form(parent, office, form, source)


# --- 设置 → 打印字体 ---------------------------------------------------------------------------


def choose_print_font(parent: QWidget | None, office: Office) -> bool:
    """Let the clerk pick the printed forms' body face; True when it changed."""
    choices = list(BODY_FONTS)
    current = office.print_body_font
    index = pick_item(
        parent,
        "打印字体",
        "打印表单时正文用的字体（标题总是黑体）：",
        [BODY_FONTS[c] for c in choices],
        choices.index(current) if current in choices else 0,
    )
    if index is None or choices[index] == current:
        return False
    choice = choices[index]
    office.set_print_body_font(choice)
    if choice == SIMSUN:
        try:
            warnings = typefaces(SIMSUN).warnings
        except FontUnavailable as error:
            warnings = (str(error),)
        if warnings:
            inform(
                parent,
                "打印字体",
                "这台电脑上没有 Windows 系统宋体（SimSun），打印时会改用程序自带宋体。\n"
                + "\n".join(warnings),
            )
    return True


__all__ = [
    "FormPreviewDialog",
    "choose_print_font",
    "preview_case_form",
    "preview_form",
    "print_pages",
]
