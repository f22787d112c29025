"""制度汇编: the book as a tree beside a reader, with live Chinese search (Ctrl+F)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSignalBlocker,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QStandardItem,
    QStandardItemModel,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.book.model import (
    STATUS_LOCAL,
    STATUS_NATIONAL,
    STATUS_UNVERIFIED,
    Rule,
    WorkItem,
)
from desktop.book.search import Query, SearchHit, SearchResult, Snippet, match_spans, parse_query
from desktop.formatting import chinese_date
from desktop.office import Office
from desktop.ui.settings import BOOK_SPLITTER, WindowSettings, restore_splitter, save_splitter

RULE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2

SEARCH_DELAY_MS = 120
HIGHLIGHT_STYLE = "background-color:#ffe58f; color:#000;"
MATCHED_IN_LABELS = {"number": "条款编号", "title": "标题", "pinyin": "拼音", "text": "正文"}
# How sure the book is of a rule, as a coloured mark beside its source: text and background.
STATUS_COLOURS = {
    STATUS_NATIONAL: ("#135200", "#f6ffed"),
    STATUS_LOCAL: ("#874d00", "#fff7e6"),
    STATUS_UNVERIFIED: ("#a8071a", "#fff1f0"),
}
STATUS_NOTES = {
    STATUS_LOCAL: "地方默认：本条中的金额、时限等是县总工会可调整的默认值，以本县现行规定为准。",
    STATUS_UNVERIFIED: "待核实：本条的依据还没有与公开的法规原文逐条核对，"
    "办理前请以现行原文为准；核实后由县总工会改为“国家规定”或“地方默认”。",
}


def status_badge(status: str) -> str:
    colour, background = STATUS_COLOURS.get(status, ("#444", "#f0f0f0"))
    return (
        f'<span style="color:{colour}; background-color:{background};">'
        f"&nbsp;{escape(status)}&nbsp;</span>"
    )


def highlighted_html(text: str, query: Query | None) -> str:
    """``text`` as HTML with the query's matches marked."""
    if query is None or query.is_empty:
        return escape(text)
    parts, cursor = [], 0
    for start, end in match_spans(text, query):
        parts.append(escape(text[cursor:start]))
        parts.append(f'<span style="{HIGHLIGHT_STYLE}">{escape(text[start:end])}</span>')
        cursor = end
    parts.append(escape(text[cursor:]))
    return "".join(parts)


def snippet_html(snippet: Snippet) -> str:
    return "".join(
        f'<span style="{HIGHLIGHT_STYLE}">{escape(text)}</span>' if hit else escape(text)
        for text, hit in snippet.pieces
    )


def rule_html(rule: Rule, work_item: str, query: Query | None = None) -> str:
    """The reader's page for one rule: title, where it sits, its source and date, its text."""
    # Blank lines separate paragraphs; single line breaks (list items （一）（二）) are kept.
    paragraphs = [p.strip() for p in rule.text.split("\n\n") if p.strip()]
    body = "".join(
        '<p style="margin:0 0 10px 0; line-height:160%;">'
        + "<br/>".join(
            highlighted_html(line.strip(), query) for line in p.splitlines() if line.strip()
        )
        + "</p>"
        for p in paragraphs
    )
    effective = chinese_date(rule.effective)
    note = STATUS_NOTES.get(rule.status)
    colour, background = STATUS_COLOURS.get(rule.status, ("#444", "#f0f0f0"))
    local = (
        f'<p style="margin:8px 0; padding:6px; background:{background}; color:{colour};">'
        f"{escape(note)}</p>"
        if note
        else ""
    )
    tags = (
        f'<p style="color:#666; margin-top:12px;">标签：{escape("、".join(rule.tags))}</p>'
        if rule.tags
        else ""
    )
    return (
        f'<h2 style="margin:0 0 6px 0;">{highlighted_html(rule.title, query)}</h2>'
        f'<p style="color:#666; margin:0 0 4px 0;">{escape(rule.id)} · {escape(work_item)}'
        f" · 生效日期：{effective}</p>"
        f'<p style="color:#444; margin:0 0 10px 0;">依据：{escape(rule.source)}'
        f"　{status_badge(rule.status)}</p>"
        f"{local}<hr/>{body}{tags}"
    )


class BookTreeModel(QStandardItemModel):
    """Work items and their rules; the book is a few hundred rows, so all are loaded."""

    def __init__(self, work_items: list[WorkItem], parent: QObject | None = None):
        super().__init__(parent)
        self.setHorizontalHeaderLabels(["工作事项与制度"])
        self._rule_items: dict[str, QStandardItem] = {}
        for work_item in work_items:
            parent_item = QStandardItem(f"{work_item.title}（{len(work_item.rules)}）")
            parent_item.setEditable(False)
            parent_item.setToolTip(work_item.summary)
            for rule in work_item.rules:
                child = QStandardItem(rule.title)
                child.setEditable(False)
                child.setData(rule.id, RULE_ID_ROLE)
                child.setToolTip(f"{rule.id}　{rule.title}")
                parent_item.appendRow(child)
                self._rule_items[rule.id] = child
            self.appendRow(parent_item)

    def index_of_rule(self, rule_id: str) -> QModelIndex:
        item = self._rule_items.get(rule_id)
        return item.index() if item is not None else QModelIndex()


class SearchResultsModel(QAbstractListModel):
    """The hits of one search, shown as title, work item and a highlighted snippet."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._hits: tuple[SearchHit, ...] = ()

    def set_result(self, result: SearchResult) -> None:
        self.beginResetModel()
        self._hits = result.hits
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title
        if role == RULE_ID_ROLE:
            return hit.rule_id
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{hit.rule_id}　{hit.title}（{hit.work_item}）"
        if role == HTML_ROLE:
            where = MATCHED_IN_LABELS.get(hit.matched_in, "")
            note = (
                f' · <span style="color:#874d00;">{escape(hit.synonym_note)}</span>'
                if hit.synonym
                else ""
            )
            return (
                f"<b>{escape(hit.title)}</b>"
                f'<span style="color:#888;">　{escape(hit.work_item)} · {where}</span>{note}<br/>'
                f'<span style="color:#444;">{snippet_html(hit.snippet)}</span>'
            )
        return None


class HtmlItemDelegate(QStyledItemDelegate):
    """Draws an item's HTML_ROLE text, wrapped to the view's width."""

    PADDING = 6

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setHtml(index.data(HTML_ROLE) or "")
        document.setTextWidth(max(50, option.rect.width() - 2 * self.PADDING))
        return document

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        self.initStyleOption(option, index)
        document = self._document(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        painter.save()
        painter.translate(option.rect.left() + self.PADDING, option.rect.top() + self.PADDING)
        context = QAbstractTextDocumentLayout.PaintContext()
        if option.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(
                context.palette.ColorRole.Text,
                option.palette.color(option.palette.ColorRole.HighlightedText),
            )
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        self.initStyleOption(option, index)
        width = option.widget.viewport().width() if option.widget else 300
        option.rect.setWidth(width)
        document = self._document(option, index)
        return QSize(width, int(document.size().height()) + 2 * self.PADDING)


class BookPage(QWidget):
    """The book tree or the search results on the left, the open rule on the right."""

    rule_opened = Signal(str)

    def __init__(self, office: Office, settings: WindowSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.office = office
        self.settings = settings
        self._query: Query | None = None
        self.current_rule_id: str | None = None

        self.search_box = QLineEdit()
        self.search_box.setObjectName("bookSearch")
        self.search_box.setPlaceholderText("搜索字词、拼音或条款编号（Ctrl+F）")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.installEventFilter(self)

        self.tree_model = BookTreeModel(office.book.work_items(), self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.expandAll()

        self.results_model = SearchResultsModel(self)
        self.results = QListView()
        self.results.setModel(self.results_model)
        self.results.setItemDelegate(HtmlItemDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)

        self.result_count = QLabel()
        self.result_count.setObjectName("resultCount")
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setObjectName("emptyHint")

        results_panel = QWidget()
        results_layout = QVBoxLayout(results_panel)
        results_layout.setContentsMargins(0, 0, 0, 0)
        results_layout.setSpacing(4)
        results_layout.addWidget(self.result_count)
        results_layout.addWidget(self.results)

        self.left_stack = QStackedWidget()
        self.left_stack.addWidget(self.tree)
        self.left_stack.addWidget(results_panel)
        self.left_stack.addWidget(self.empty_label)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(8)
        left_layout.addWidget(self.search_box)
        left_layout.addWidget(self.left_stack)

        self.reader = QTextBrowser()
        self.reader.setObjectName("ruleReader")
        self.reader.setOpenLinks(False)
        self.reader.document().setDocumentMargin(16)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.reader)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([380, 620])
        self.splitter.setChildrenCollapsible(False)
        restore_splitter(settings, BOOK_SPLITTER, self.splitter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.splitter)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_box.returnPressed.connect(self._open_current_or_first)
        self.tree.selectionModel().currentChanged.connect(self._tree_current_changed)
        self.tree.activated.connect(self._open_index)
        self.results.clicked.connect(self._open_index)
        self.results.activated.connect(self._open_index)

        self._show_welcome()

    # --- public ------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def search(self, text: str) -> None:
        """Put ``text`` in the search box and show its results at once."""
        self.search_box.setText(text)
        self.run_search()

    def open_first_result(self) -> bool:
        if self.results_model.rowCount() == 0:
            return False
        self._open_index(self.results_model.index(0, 0))
        return True

    def open_rule(self, rule_id: str) -> bool:
        rule = self.office.book.rule(rule_id)
        if rule is None:
            return False
        work_item = self.office.book.work_item_title(rule.work_item_id)
        self.reader.setHtml(rule_html(rule, work_item, self._query))
        self.current_rule_id = rule_id
        # Keep the tree on the open rule, so clearing the search shows where it sits.
        tree_index = self.tree_model.index_of_rule(rule_id)
        if tree_index.isValid() and self.tree.currentIndex() != tree_index:
            with QSignalBlocker(self.tree.selectionModel()):
                self.tree.setCurrentIndex(tree_index)
            self.tree.scrollTo(tree_index)
        self.rule_opened.emit(rule_id)
        return True

    def save_state(self) -> None:
        save_splitter(self.settings, BOOK_SPLITTER, self.splitter)

    # --- search ------------------------------------------------------------------------------

    def run_search(self) -> None:
        self._search_timer.stop()
        text = self.search_box.text().strip()
        if parse_query(text).is_empty:
            self._query = None
            self.left_stack.setCurrentWidget(self.tree)
            return
        result = self.office.book.search(text)
        # Mark in the open rule what found it: the typed words and any synonyms used.
        self._query = result.highlight
        self.results_model.set_result(result)
        if not result.hits:
            self.empty_label.setText(
                f"没有找到含“{escape(text)}”的制度。\n\n可以换个说法，少输几个字，\n"
                "或输入拼音首字母（如 knzg 找“困难职工”）、条款编号（如 W06-01）。"
            )
            self.left_stack.setCurrentWidget(self.empty_label)
            return
        shown = len(result.hits)
        suffix = f"，显示前 {shown} 条" if result.total > shown else ""
        self.result_count.setText(f"找到 {result.total} 条{suffix}　↑↓ 选择，回车打开")
        self.left_stack.setCurrentIndex(1)
        self.results.setCurrentIndex(self.results_model.index(0, 0))
        self.results.scrollToTop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up/Down in the search box move through the results without leaving the box.
        if watched is self.search_box and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.left_stack.currentIndex() == 1:
                step = 1 if key == Qt.Key.Key_Down else -1
                row = self.results.currentIndex().row() + step
                row = max(0, min(row, self.results_model.rowCount() - 1))
                self.results.setCurrentIndex(self.results_model.index(row, 0))
                return True
            if key == Qt.Key.Key_Escape and self.search_box.text():
                self.search_box.clear()
                return True
        return super().eventFilter(watched, event)

    def _open_current_or_first(self) -> None:
        self._search_timer.stop()
        if self.left_stack.currentIndex() != 1:
            self.run_search()
        if self.left_stack.currentIndex() != 1:
            return
        current = self.results.currentIndex()
        self._open_index(current if current.isValid() else self.results_model.index(0, 0))

    def _open_index(self, index: QModelIndex) -> None:
        rule_id = index.data(RULE_ID_ROLE)
        if rule_id:
            self.open_rule(rule_id)

    def _tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._open_index(current)

    def _show_welcome(self) -> None:
        stats = self.office.book.stats()
        self.reader.setHtml(
            f"<h2>{escape(stats.title)}</h2>"
            f'<p style="color:#666;">版本 {escape(stats.book_version)}　'
            f"工作事项 {stats.work_items} 项　制度条款 {stats.rules} 条（"
            + "，".join(
                f"{status_badge(status)} {n} 条" for status, n in stats.rules_by_status.items()
            )
            + "）</p><hr/>"
            "<p>在左侧目录中点选一条制度即可阅读；或在上方搜索框输入字词"
            "（例如“帮扶”“慰问”）、拼音首字母（例如 knzg）或条款编号（例如 W06-01），"
            "回车打开第一条结果。</p>"
            '<p style="color:#874d00;">'
            "每条制度的依据旁标明：国家规定（法律、法规、工会章程规定的），地方默认"
            "（金额、时限等由县总工会按本地规定调整），待核实（依据还没有与原文核对）。</p>"
        )
