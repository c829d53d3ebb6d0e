"""The offline code reference: search as you type, a code-book tree, PCS tables and a detail pane.

Passive like every view: it only asks the read-only `CodeSet` for data and renders it
(app/ui/code_detail.py builds the HTML). Links in the detail pane use private URL schemes
and are handled here, so nothing is ever fetched. Other parts open codes through
`open_code` and hear about it through `code_opened`.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.codeset import CodeInfo, CodeSet, CodeSystem
from app.ui.code_detail import DETAIL_CSS, code_html, code_link, resolve_ref
from app.ui.pcs_table import PcsTableView

if TYPE_CHECKING:
    from app.codesets.database import PcsStep, TreeNode

SEARCH_DELAY_MS = 120
RESULT_LIMIT = 60
HISTORY_LIMIT = 200  # codes remembered for Back; older ones drop off
NODE_ROLE = Qt.ItemDataRole.UserRole
PLACEHOLDER = "…"
BILLABLE_COLOUR = QColor("#1e7b34")  # billable codes in the tree, as in the status hint
FILTERS: tuple[tuple[str, CodeSystem | None], ...] = (
    ("All code sets", None),
    ("ICD-10-CM", CodeSystem.ICD10CM),
    ("ICD-10-PCS", CodeSystem.ICD10PCS),
    ("HCPCS", CodeSystem.HCPCS),
    ("CPT", CodeSystem.CPT),
)
SHORT_LABELS = {
    CodeSystem.ICD10CM: "", CodeSystem.ICD10PCS: "PCS", CodeSystem.HCPCS: "HCPCS", CodeSystem.CPT: "CPT",
}


class BrowsableCodes(CodeSet, Protocol):
    """The read-only questions the browser asks beyond `CodeSet` (SqliteCodeSet answers them)."""

    def tree_children(self, system: CodeSystem, key: str | None) -> list[TreeNode]: ...
    def tree_path(self, system: CodeSystem, code: str) -> list[str]: ...
    def pcs_step(self, prefix: str) -> PcsStep: ...
    def has_user_cpt(self) -> bool: ...


@dataclass(frozen=True)
class Node:
    """What a tree item stands for: a tree key in one code set, and its code if it has one."""

    system: CodeSystem
    key: str | None
    code: str | None


class CodeBrowser(QWidget):
    code_opened = Signal(str)

    def __init__(self, codes: BrowsableCodes, parent: QWidget | None = None):
        super().__init__(parent)
        self.codes = codes
        self.history: list[tuple[str, CodeSystem]] = []
        self.position = -1
        self.current: CodeInfo | None = None
        self._following = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._run_search)
        self._build_controls()
        self._build_panes()
        self._build_layout()
        self._fill_tree_roots()
        self._update_buttons()
        self.detail.setHtml("<p class=meta>Type words or a code above, or browse the code book on the left.</p>")

    # -- construction ---------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.back_button = QPushButton("◀ Back")
        self.forward_button = QPushButton("Forward ▶")
        self.back_button.setToolTip("Back (Alt+Left)")
        self.forward_button.setToolTip("Forward (Alt+Right)")
        self.back_button.clicked.connect(self.back)
        self.forward_button.clicked.connect(self.forward)
        QShortcut(QKeySequence("Alt+Left"), self, self.back)
        QShortcut(QKeySequence("Alt+Right"), self, self.forward)
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search words (\"dog bite\") or a code (S52.5, 0DTJ, J1100)…")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search codes")
        self.search_box.textChanged.connect(lambda _text: self._timer.start())
        self.search_box.returnPressed.connect(self._open_typed)
        self.search_box.installEventFilter(self)
        self.filter = QComboBox()
        for label, system in FILTERS:
            self.filter.addItem(label, system)
        self.filter.currentIndexChanged.connect(lambda _i: self._run_search())
        self.billable_only = QCheckBox("Billable only")
        self.billable_only.toggled.connect(lambda _on: self._run_search())
        self.status = QLabel()
        self.status.setObjectName("pageHint")
        self.status.setTextFormat(Qt.TextFormat.PlainText)

    def _build_panes(self) -> None:
        self.results = QListWidget()
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.setUniformItemSizes(True)
        self.results.currentItemChanged.connect(self._result_selected)
        self.results.itemActivated.connect(lambda item: self._result_selected(item, None))
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.itemExpanded.connect(self._load_children)
        self.tree.currentItemChanged.connect(self._tree_selected)
        self.pcs = PcsTableView(self.codes)
        self.pcs.code_chosen.connect(lambda code: self.open_code(code, CodeSystem.ICD10PCS))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.results, "Search results")
        self.tabs.addTab(self.tree, "Code book")
        self.tabs.addTab(self.pcs, "PCS tables")
        self.tabs.currentChanged.connect(lambda _i: self._follow_in_tree())
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.setAccessibleName("Code details")
        self.detail.setOpenExternalLinks(False)
        self.detail.document().setDefaultStyleSheet(DETAIL_CSS)
        self.detail.anchorClicked.connect(self._link_clicked)

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.back_button)
        bar.addWidget(self.forward_button)
        bar.addWidget(self.search_box, 1)
        bar.addWidget(self.filter)
        bar.addWidget(self.billable_only)
        splitter = QSplitter()
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([380, 620])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)

    # -- search -------------------------------------------------------------------------------
    def search(self, text: str) -> None:
        """Put `text` in the search box and search now (no typing delay)."""
        self.search_box.setText(text)
        self._run_search()

    def _run_search(self) -> None:
        self._timer.stop()
        text = self.search_box.text().strip()
        self.results.blockSignals(True)
        self.results.clear()
        self.results.blockSignals(False)
        if not text:
            self.status.setText("")
            return
        hits = self.codes.search(text, self.filter.currentData(), self.billable_only.isChecked(), RESULT_LIMIT)
        for hit in hits:
            mark = "✓" if hit.billable else "·"
            where = f"{SHORT_LABELS[hit.system]} " if hit.system is not CodeSystem.ICD10CM else ""
            label = f"{mark} {where}{hit.code}   {hit.title}"
            item = QListWidgetItem(label, self.results)
            item.setData(NODE_ROLE, (hit.code, hit.system.value))
            kind = "billable" if hit.billable else "not billable (header)"
            item.setToolTip(f"{hit.system.label} {hit.code}: {hit.title}\n{kind}")
        shown = f"{len(hits)}{'+' if len(hits) >= RESULT_LIMIT else ''}"
        self.status.setText(f"{shown} result(s) for “{text}”  ·  ✓ billable  · header" if hits
                            else f"Nothing found for “{text}”.")
        self.tabs.setCurrentWidget(self.results)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        """Down in the search box moves into the results, as in an encoder's look-up."""
        down = isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down
        if watched is self.search_box and down and self.results.count():
            self.tabs.setCurrentWidget(self.results)
            self.results.setFocus()
            self.results.setCurrentRow(max(self.results.currentRow(), 0))
            return True
        return super().eventFilter(watched, event)

    def _open_typed(self) -> None:
        """Enter opens the typed code if it is one, else the first result."""
        text = self.search_box.text().strip()
        if text and self.open_code(text, self.filter.currentData()):
            return
        self._run_search()
        if self.results.count():
            self.results.setCurrentRow(0)

    def _result_selected(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is not None:
            code, system = item.data(NODE_ROLE)
            self.open_code(code, CodeSystem(system))

    # -- opening codes and history -------------------------------------------------------------
    def open_code(self, code: str, system: CodeSystem | None = None) -> bool:
        """Show `code` in the detail pane and remember it in the history; False if unknown."""
        info = self.codes.lookup(code, system)
        if info is None:
            self.status.setText(f"No code “{code}” in the code sets.")
            return False
        if self.current is not None and (info.code, info.system) == (self.current.code, self.current.system):
            return True
        del self.history[self.position + 1:]
        self.history.append((info.code, info.system))
        del self.history[:-HISTORY_LIMIT]
        self.position = len(self.history) - 1
        self._show(info)
        return True

    def back(self) -> None:
        if self.position > 0:
            self.position -= 1
            self._show_history()

    def forward(self) -> None:
        if self.position < len(self.history) - 1:
            self.position += 1
            self._show_history()

    def _show_history(self) -> None:
        code, system = self.history[self.position]
        info = self.codes.lookup(code, system)
        if info is not None:
            self._show(info)

    def _show(self, info: CodeInfo) -> None:
        self.current = info
        has_cpt = info.system is CodeSystem.CPT and self.codes.has_user_cpt()
        self.detail.setHtml(code_html(info, self.codes, has_cpt))
        self._update_buttons()
        self._follow_in_tree()
        if info.system is CodeSystem.ICD10PCS and self.pcs.prefix() != info.code:
            self.pcs.set_code(info.code)
        self.code_opened.emit(info.code)

    def _update_buttons(self) -> None:
        self.back_button.setEnabled(self.position > 0)
        self.forward_button.setEnabled(self.position < len(self.history) - 1)

    def _link_clicked(self, url: QUrl) -> None:
        self.open_link(url.toString(QUrl.ComponentFormattingOption.FullyDecoded))

    def open_link(self, target: str) -> None:
        """`code:SYSTEM/CODE` opens a code; `ref:S52.-` / `ref:E10-E13` opens what it points at."""
        scheme, _, rest = target.partition(":")
        if scheme == "code":
            system, _, code = rest.partition("/")
            self.open_code(code, CodeSystem(system))
        elif scheme == "ref":
            code = resolve_ref(rest, self.codes)
            if code is None or not self.open_code(code, CodeSystem.ICD10CM):
                self.search(rest.split("-")[0].rstrip("."))

    # -- tree -----------------------------------------------------------------------------------
    def _fill_tree_roots(self) -> None:
        for _label, system in FILTERS[1:]:
            assert system is not None
            item = QTreeWidgetItem([system.label])
            item.setData(0, NODE_ROLE, Node(system, None, None))
            item.addChild(QTreeWidgetItem([PLACEHOLDER]))
            self.tree.addTopLevelItem(item)

    def _load_children(self, item: QTreeWidgetItem) -> None:
        """Fill an item's children the first time it is expanded."""
        if item.childCount() != 1 or item.child(0).data(0, NODE_ROLE) is not None:
            return
        node: Node = item.data(0, NODE_ROLE)
        item.takeChild(0)
        for child in self.codes.tree_children(node.system, node.key):
            entry = QTreeWidgetItem([child.title])
            entry.setData(0, NODE_ROLE, Node(node.system, child.key, child.code))
            billable = child.billable and child.code and node.system is CodeSystem.ICD10CM
            entry.setToolTip(0, child.title + ("\nbillable" if billable else ""))
            if billable:
                entry.setForeground(0, BILLABLE_COLOUR)
            if child.has_children:
                entry.addChild(QTreeWidgetItem([PLACEHOLDER]))
            item.addChild(entry)

    def _child_with_key(self, item: QTreeWidgetItem, key: str) -> QTreeWidgetItem | None:
        item.setExpanded(True)
        self._load_children(item)
        for index in range(item.childCount()):
            node = item.child(index).data(0, NODE_ROLE)
            if node is not None and node.key == key:
                return item.child(index)
        return None

    def _follow_in_tree(self) -> None:
        """Expand the tree down to the open code and select it (without reopening it).

        Only while the tree is showing: finding the path costs more than the rest of
        opening a code, so a hidden tree catches up when its tab is chosen.
        """
        info = self.current
        if info is None or self.tabs.currentWidget() is not self.tree:
            return
        current = self.tree.currentItem()
        if current is not None and current.data(0, NODE_ROLE) == Node(info.system, info.code, info.code):
            return
        roots = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        item = next((r for r in roots if r.data(0, NODE_ROLE).system is info.system), None)
        for key in self.codes.tree_path(info.system, info.code):
            item = self._child_with_key(item, key) if item is not None else None
        if item is not None:
            self._following = True
            try:
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item)
            finally:
                self._following = False

    def _tree_selected(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        if self._following or item is None:
            return
        node = item.data(0, NODE_ROLE)
        if node is None:
            return
        if node.code:
            self.open_code(node.code, node.system)
        else:
            self._show_group(item, node)

    def _show_group(self, item: QTreeWidgetItem, node: Node) -> None:
        """A chapter, block or PCS table heading: its title and what is below it, as links."""
        children = self.codes.tree_children(node.system, node.key) if node.key else []
        rows = "".join(
            f"<li>{code_link(c.code, node.system, c.title) if c.code else escape(c.title)}</li>" for c in children
        )
        self.detail.setHtml(f"<h2>{escape(item.text(0))}</h2><p class=meta>{escape(node.system.label)}</p>"
                            f"<ul>{rows}</ul><p class=meta>Expand it in the tree to go further.</p>")
