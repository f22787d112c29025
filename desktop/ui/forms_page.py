"""表单打印: every form the office prints, as page thumbnails, each previewed blank or filled.

Forms are read when the section is first shown, and desktop.printing is imported then: it
brings reportlab, a tenth of a second that the window's start need not wait for. Thumbnails are
the first page of the blank form: reportlab renders each PDF off the UI thread
(desktop.ui.background), the UI thread rasterises it with QtPdf when it is done, and the PNG is
kept in the data folder (cache/form_thumbs), named by a hash of the form file and the body
font, so the next start shows them at once and an edited form file gets a new one.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import deque
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__
from desktop.cases.records import CaseRow
from desktop.cases.status import CASE_STATUS_LABELS
from desktop.office import Office
from desktop.tomlsource import listed_problems
from desktop.ui.background import BackgroundJob
from desktop.ui.widgets import error_label

if TYPE_CHECKING:
    from desktop.printing import Form
    from desktop.printing.office_forms import FormUse, OfficeForms
    from desktop.ui.print_preview import FormPreviewDialog

log = logging.getLogger(__name__)

THUMB_WIDTH = 150  # logical pixels in the list
THUMB_SCALE = 2  # rendered at twice the size: sharp on high-DPI screens, smooth scaled down
THUMB_HEIGHT = round(THUMB_WIDTH * 297 / 210)
THUMB_CACHE = ("cache", "form_thumbs")
FORM_ID_ROLE = Qt.ItemDataRole.UserRole + 1

STYLE_SHEET = """
QLabel#pageTitle { font-size: 13pt; font-weight: bold; }
QLabel#pageHint { color: #555; }
QLabel#formTitle { font-size: 13pt; font-weight: bold; }
QLabel#formMeta { color: #444; }
QLabel#formUses { color: #222; }
QLabel#caseFound { color: #2e7d32; }
QLabel#caseWarning { color: #b26a00; }
QFrame#formDetail { background: #ffffff; border: 1px solid #dde1e7; border-radius: 6px; }
QListWidget#formList { background: #eef1f5; border: none; }
QListWidget#formList::item { color: #222; border-radius: 6px; padding: 6px 4px; }
QListWidget#formList::item:selected { background: #cfe0ff; color: #000; }
QListWidget#formList::item:hover:!selected { background: #e1e8f3; }
QPushButton#primaryButton { background: #2f6fde; color: white; border: none; border-radius: 4px;
    padding: 6px 16px; font-weight: bold; }
QPushButton#primaryButton:hover { background: #285fc0; }
"""


def thumbnail_key(form: Form, body_font: str) -> str:
    """Changes when the form file, the body face, the size or the program's layout code does."""
    digest = hashlib.sha256(form.path.read_bytes())
    digest.update(f"\0{body_font}\0{THUMB_WIDTH * THUMB_SCALE}\0{__version__}".encode())
    return digest.hexdigest()[:20]


def thumbnail_dir(office: Office) -> Path | None:
    return office.data_dir.joinpath(*THUMB_CACHE) if office.data_dir is not None else None


class ThumbnailMaker(QObject):
    """First pages of blank forms, from the cache or rendered one after another off the UI
    thread: one ``thumbnail_ready`` (or ``thumbnail_failed``) each, then ``finished``."""

    thumbnail_ready = Signal(str, QImage)
    thumbnail_failed = Signal(str, str)
    finished = Signal()

    def __init__(self, forms: list[Form], body_font: str, cache_dir: Path | None, parent: QWidget):
        super().__init__(parent)
        self.page = parent
        self.forms = forms
        self.body_font = body_font
        self.cache_dir = cache_dir
        self.from_cache = 0
        self.rendered = 0
        self.done = False
        self._todo: deque[Form] = deque()
        self._job: BackgroundJob[bytes] | None = None
        self._cancelled = False

    def _path(self, form: Form) -> Path | None:
        if self.cache_dir is None:
            return None
        try:
            return self.cache_dir / f"{form.id}-{thumbnail_key(form, self.body_font)}.png"
        except OSError:
            return None

    def start(self) -> None:
        for form in self.forms:
            path = self._path(form)
            image = QImage(str(path)) if path is not None and path.is_file() else QImage()
            if image.isNull():
                self._todo.append(form)
            else:
                self.from_cache += 1
                self.thumbnail_ready.emit(form.id, image)
        self._render_next()

    def cancel(self) -> None:
        self._cancelled = True
        if self._job is not None:
            self._job.cancel()

    def _render_next(self) -> None:
        if self._cancelled:
            return
        if not self._todo:
            self._finish()
            return
        form = self._todo.popleft()
        body_font = self.body_font
        self._job = BackgroundJob(
            lambda _report: _blank_pdf(form, body_font),
            self.page,
            lambda content: self._rendered(form, content),
            lambda error: self._failed(form, error),
        ).start()

    def _rendered(self, form: Form, content: bytes) -> None:
        from desktop.ui.print_preview import first_page_image

        image = first_page_image(content, THUMB_WIDTH * THUMB_SCALE)
        if image.isNull():
            self.thumbnail_failed.emit(form.id, "QtPdf 无法显示这张表")
        else:
            self.rendered += 1
            self._store(form, image)
            self.thumbnail_ready.emit(form.id, image)
        self._render_next()

    def _failed(self, form: Form, error: BaseException) -> None:
        if not isinstance(error, Exception):
            raise error
        # Shown on the thumbnail; the preview says it in full.
        self.thumbnail_failed.emit(form.id, str(error))
        self._render_next()

    def _store(self, form: Form, image: QImage) -> None:
        path = self._path(form)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + ".part")
            if not image.save(str(partial), "PNG"):
                raise OSError(f"cannot write {partial}")
            os.replace(partial, path)
            for old in path.parent.glob(f"{form.id}-*.png"):
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError as error:
            # A read-only data folder costs only the speed of the next start.
            log.warning("form thumbnail not cached: %s", error)

    def _finish(self) -> None:
        self.done = True
        self.finished.emit()


def _blank_pdf(form: Form, body_font: str) -> bytes:
    """The blank form as a PDF; reportlab only, no Qt: this runs on the worker thread."""
    from desktop.printing import blank_context
    from desktop.printing.render import render_to_bytes

    content, _result = render_to_bytes(
        form, blank_context(form), body_font, allow_missing_glyphs=True
    )
    return content


def _page_icon(image: QImage | None, text: str = "") -> QIcon:
    """The page with a thin edge, or a grey sheet with ``text`` while there is no image."""
    width, height = THUMB_WIDTH * THUMB_SCALE, THUMB_HEIGHT * THUMB_SCALE
    if image is not None and not image.isNull():
        height = round(width * image.height() / image.width())
    pixmap = QPixmap(width, height)
    pixmap.fill(QColor("#ffffff" if image is not None else "#f4f5f7"))
    painter = QPainter(pixmap)
    if image is not None and not image.isNull():
        painter.drawImage(0, 0, image)
    elif text:
        painter.setPen(QColor("#888888"))
        font = QFont()
        font.setPixelSize(22)
        painter.setFont(font)
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.setPen(QPen(QColor("#9aa3b0"), 2))
    painter.drawRect(1, 1, width - 2, height - 2)
    painter.end()
    pixmap.setDevicePixelRatio(THUMB_SCALE)
    icon = QIcon(pixmap)
    # The page stays white when chosen; the item's background shows the selection.
    icon.addPixmap(pixmap, QIcon.Mode.Selected)
    return icon


# --- the case number -------------------------------------------------------------------------


class CaseNumberDialog(QDialog):
    """Which case fills the form: the number typed, checked against the office's cases."""

    def __init__(
        self, office: Office, form: Form, uses: list[FormUse], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.office = office
        self.form = form
        self.case: CaseRow | None = None
        self._procedures = {use.procedure_id for use in uses}
        self.setWindowTitle(f"按案件填写 — {form.title}")
        self.setStyleSheet(STYLE_SHEET)
        intro = QLabel(f"输入案件编号，用这件案件登记的内容填好“{form.title}”。")
        intro.setWordWrap(True)
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText("如 BF-2026-0007")
        self.number_edit.setClearButtonEnabled(True)
        self.number_edit.textChanged.connect(self._look_up)
        self.found_label = QLabel()
        self.found_label.setObjectName("caseFound")
        self.found_label.setWordWrap(True)
        self.warning_label = QLabel()
        self.warning_label.setObjectName("caseWarning")
        self.warning_label.setWordWrap(True)
        self.warning_label.hide()
        self.error_label = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("预览")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(QLabel("案件编号："))
        row.addWidget(self.number_edit, 1)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.found_label)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setFixedWidth(460)

    def _find(self) -> CaseRow | None:
        text = self.number_edit.text().strip().upper()
        return self.office.cases.find_case(text) if text else None

    def _look_up(self) -> None:
        self.error_label.hide()
        row = self._find()
        if row is None:
            self.found_label.clear()
            self.warning_label.hide()
            self.adjustSize()
            return
        status = CASE_STATUS_LABELS.get(row.status, row.status)
        self.found_label.setText(f"{row.subject_name} · {row.service_item_name} · {status}")
        refusal = self._refusal(row)
        self.warning_label.setText(refusal or "")
        self.warning_label.setVisible(bool(refusal))
        self.adjustSize()

    def _refusal(self, row: CaseRow) -> str | None:
        """Why the form is not this case's: another procedure's, or another kind's (a 医疗救助
        case is filled on the 医疗救助申请表, not on the general application)."""
        from desktop.printing.jobs import form_titles, wrong_form_reason

        if self._procedures and row.procedure_id not in self._procedures:
            return (
                f"这件案件的办理流程（{row.procedure_title}）不用这张表，"
                "请换一件案件，或打印空白表手写。"
            )
        view = self.office.cases.view(row.id)
        return wrong_form_reason(view, self.form, form_titles(self.office))

    def accept(self) -> None:
        text = self.number_edit.text().strip().upper()
        row = self._find()
        if row is None:
            self.error_label.setText(
                f"没有编号为“{text}”的案件，请核对（编号如 BF-2026-0007）。"
                if text
                else "请输入案件编号。"
            )
            self.error_label.show()
            self.adjustSize()
            self.number_edit.setFocus()
            return
        if self._refusal(row):
            self.number_edit.setFocus()
            return  # the warning under the number says why
        self.case = row
        super().accept()


def ask_case(
    parent: QWidget | None, office: Office, form: Form, uses: list[FormUse]
) -> CaseRow | None:
    dialog = CaseNumberDialog(office, form, uses, parent)
    return dialog.case if dialog.exec() == QDialog.DialogCode.Accepted else None


# --- the page --------------------------------------------------------------------------------


class FormsPage(QWidget):
    """The 表单打印 section: thumbnails on the left, the chosen form and its actions beside."""

    def __init__(self, office: Office, parent: QWidget | None = None):
        super().__init__(parent)
        self.office = office
        self.setStyleSheet(STYLE_SHEET)
        self.catalogue: OfficeForms | None = None
        self.maker: ThumbnailMaker | None = None
        self._thumb_font = ""
        self._items: dict[str, QListWidgetItem] = {}
        self.images: dict[str, QImage] = {}

        title = QLabel("表单打印")
        title.setObjectName("pageTitle")
        self.hint = QLabel(
            "双击表单预览空白表（手写用）；“填写案件…”按案件编号填好后预览、打印或存为 PDF。"
        )
        self.hint.setObjectName("pageHint")
        self.hint.setWordWrap(True)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("pageHint")
        self.reload_button = QPushButton("重新读取表单文件")
        self.reload_button.setToolTip("县总工会更新了 forms 文件夹中的表单版式后，点此重新读取")
        self.reload_button.clicked.connect(lambda: self.load(reload=True))
        heading = QHBoxLayout()
        heading.setSpacing(12)
        heading.addWidget(title)
        heading.addWidget(self.progress_label, 1)
        heading.addWidget(self.reload_button)

        self.list = QListWidget()
        self.list.setObjectName("formList")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB_WIDTH, THUMB_HEIGHT))
        self.list.setGridSize(QSize(THUMB_WIDTH + 44, THUMB_HEIGHT + 74))
        self.list.setMovement(QListView.Movement.Static)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(True)
        self.list.setSpacing(4)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.itemActivated.connect(lambda _item: self.preview_blank())
        self.list.currentItemChanged.connect(lambda _new, _old: self._show_details())

        self.detail = QFrame()
        self.detail.setObjectName("formDetail")
        self.detail.setFixedWidth(300)
        self.form_title = QLabel()
        self.form_title.setObjectName("formTitle")
        self.form_title.setWordWrap(True)
        self.form_meta = QLabel()
        self.form_meta.setObjectName("formMeta")
        self.form_meta.setWordWrap(True)
        self.form_meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form_uses = QLabel()
        self.form_uses.setObjectName("formUses")
        self.form_uses.setWordWrap(True)
        self.form_uses.setTextFormat(Qt.TextFormat.RichText)
        self.blank_button = QPushButton("预览空白表")
        self.blank_button.setToolTip("打印空白表，手写填写（回车或双击表单也可以）")
        self.blank_button.clicked.connect(self.preview_blank)
        self.fill_button = QPushButton("填写案件…")
        self.fill_button.setObjectName("primaryButton")
        self.fill_button.setToolTip("输入案件编号，用案件登记的内容填好这张表")
        self.fill_button.clicked.connect(self.fill_from_case)
        self.font_label = QLabel()
        self.font_label.setObjectName("pageHint")
        self.font_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.blank_button)
        buttons.addWidget(self.fill_button)
        detail_layout = QVBoxLayout(self.detail)
        detail_layout.setContentsMargins(14, 12, 14, 12)
        detail_layout.setSpacing(10)
        detail_layout.addWidget(self.form_title)
        detail_layout.addWidget(self.form_meta)
        detail_layout.addWidget(self.form_uses)
        detail_layout.addLayout(buttons)
        detail_layout.addStretch(1)
        detail_layout.addWidget(self.font_label)

        grid_page = QWidget()
        grid_layout = QHBoxLayout(grid_page)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        grid_layout.setSpacing(10)
        grid_layout.addWidget(self.list, 1)
        grid_layout.addWidget(self.detail)

        self.error_view = QTextBrowser()
        self.error_view.setObjectName("formErrors")
        self.stack = QStackedWidget()
        self.stack.addWidget(grid_page)
        self.stack.addWidget(self.error_view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.stack, 1)

    # --- loading

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.catalogue is None:
            self.load()
        elif self._thumb_font != self.office.print_body_font:
            self._start_thumbnails()  # 设置 → 打印字体 changed the face since they were made
        self._show_font()

    def load(self, reload: bool = False) -> None:
        """Read the forms (again) and list them; thumbnails follow as they are made."""
        from desktop.printing.jobs import kind_text
        from desktop.printing.office_forms import office_forms

        self.catalogue = office_forms(self.office, reload=reload)
        current = self.current_form()
        self.list.clear()
        self._items = {}
        self.images = {}
        if self.catalogue.error is not None:
            problems = "".join(
                f"<li>{escape(p)}</li>" for p in listed_problems(self.catalogue.error.problems)
            )
            self.error_view.setHtml(
                "<h3>表单版式文件有错误，改正后点“重新读取表单文件”</h3>"
                f"<ul>{problems}</ul>"
                "<p>格式说明见程序文件夹中的 forms/README.md。</p>"
            )
            self.stack.setCurrentIndex(1)
            self.progress_label.clear()
            return
        self.stack.setCurrentIndex(0)
        placeholder = _page_icon(None, "正在生成…")
        for form in self.catalogue.forms.values():
            item = QListWidgetItem(placeholder, f"{form.title}\n{kind_text(form)}")
            item.setData(FORM_ID_ROLE, form.id)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            uses = "\n".join(f"· {use}" for use in self.catalogue.used_by(form.id))
            item.setToolTip(f"{form.title}（{form.id}）\n{uses or '没有流程步骤打印这张表'}")
            self.list.addItem(item)
            self._items[form.id] = item
        row = list(self._items).index(current.id) if current and current.id in self._items else 0
        self.list.setCurrentRow(row)
        self._start_thumbnails()

    def _start_thumbnails(self) -> None:
        if self.maker is not None:
            # Left to die with the page: deleteLater on a Python QObject subclass crashed
            # PySide6 6.12 here (see desktop.ui.background).
            self.maker.cancel()
        assert self.catalogue is not None
        self._thumb_font = self.office.print_body_font
        self.maker = ThumbnailMaker(
            list(self.catalogue.forms.values()),
            self._thumb_font,
            thumbnail_dir(self.office),
            self,
        )
        self.maker.thumbnail_ready.connect(self._thumbnail_ready)
        self.maker.thumbnail_failed.connect(self._thumbnail_failed)
        self.maker.finished.connect(self._thumbnails_finished)
        self._made = 0
        self.maker.start()
        if not self.maker.done:
            self._show_progress()

    def _thumbnail_ready(self, form_id: str, image: QImage) -> None:
        item = self._items.get(form_id)
        if item is None:
            return
        self.images[form_id] = image
        item.setIcon(_page_icon(image))
        self._made += 1
        self._show_progress()

    def _thumbnail_failed(self, form_id: str, problem: str) -> None:
        item = self._items.get(form_id)
        if item is not None:
            item.setIcon(_page_icon(None, "无法预览"))
            item.setToolTip(f"{item.toolTip()}\n\n无法生成缩略图：{problem}")
        self._made += 1
        self._show_progress()

    def _show_progress(self) -> None:
        total = len(self._items)
        busy = self.maker is not None and not self.maker.done and self._made < total
        self.progress_label.setText(f"正在生成缩略图（{self._made}/{total}）……" if busy else "")

    def _thumbnails_finished(self) -> None:
        self.progress_label.clear()

    def thumbnails_done(self) -> bool:
        return self.maker is not None and self.maker.done

    # --- the chosen form

    def current_form(self) -> Form | None:
        item = self.list.currentItem()
        if item is None or self.catalogue is None:
            return None
        return self.catalogue.forms.get(item.data(FORM_ID_ROLE))

    def select_form(self, form_id: str) -> bool:
        item = self._items.get(form_id)
        if item is not None:
            self.list.setCurrentItem(item)
        return item is not None

    def _show_details(self) -> None:
        from desktop.printing.jobs import kind_text

        form = self.current_form()
        self.blank_button.setEnabled(form is not None)
        self.fill_button.setEnabled(form is not None)
        if form is None or self.catalogue is None:
            self.form_title.setText("请在左侧选择表单")
            self.form_meta.clear()
            self.form_meta.setToolTip("")
            self.form_uses.clear()
            return
        self.form_title.setText(form.title)
        page = form.page
        orientation = "横向" if page.orientation == "landscape" else "纵向"
        kind = kind_text(form)
        paper = f"{page.size} {orientation}"
        self.form_meta.setText(f"类型：{kind}\n纸张：{paper}")
        # The id names the layout file and the CLI's argument: for whoever maintains the forms.
        self.form_meta.setToolTip(f"表单编号：{form.id}（版式文件 {form.path.name}）")
        uses = self.catalogue.used_by(form.id)
        if uses:
            listed = "".join(f"<li>{escape(str(use))}</li>" for use in uses)
            self.form_uses.setText(
                f"<b>由这些办理步骤打印：</b><ul style='margin:2px 0 0 -20px;'>{listed}</ul>"
            )
        else:
            self.form_uses.setText("<b>没有流程步骤打印这张表。</b>")

    def _show_font(self) -> None:
        from desktop.printing import BODY_FONTS

        font = BODY_FONTS.get(self.office.print_body_font, self.office.print_body_font)
        self.font_label.setText(f"正文字体：{font}\n（设置 → 打印字体）")

    def _context_menu(self, position: QPoint) -> None:
        item = self.list.itemAt(position)
        if item is None:
            return
        self.list.setCurrentItem(item)
        menu = QMenu(self)
        menu.addAction("预览空白表", self.preview_blank)
        menu.addAction("填写案件…", self.fill_from_case)
        menu.exec(self.list.viewport().mapToGlobal(position))

    # --- actions

    def preview_blank(self) -> FormPreviewDialog | None:
        from desktop.printing.jobs import blank_source
        from desktop.ui import print_preview

        form = self.current_form()
        if form is None:
            return None
        source = blank_source(self.office, form)
        return print_preview.preview_form(self, self.office, form, source)

    def fill_from_case(self) -> FormPreviewDialog | None:
        from desktop.printing.jobs import PrintRequestError, case_source
        from desktop.ui import print_preview

        form = self.current_form()
        if form is None or self.catalogue is None:
            return None
        row = ask_case(self, self.office, form, self.catalogue.used_by(form.id))
        if row is None:
            return None
        try:
            source = case_source(self.office, form, row.id)
        except PrintRequestError as error:
            print_preview.warn(self, "无法打印", str(error))
            return None
        return print_preview.preview_form(self, self.office, form, source)
