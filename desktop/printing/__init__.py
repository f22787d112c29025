"""Official PDF forms, printed blank or filled from a case (reportlab; no Qt).

The forms themselves are data: forms/*.toml, one file per form, edited by the county union
(see forms/README.md). Typical use::

    forms = load_forms(procedures=office_procedures(office))
    data = case_context(office, "BF-2026-0007")
    render_pdf(forms["aid_application"], data, Path("申请表.pdf"))

    signoff = forms["aid_payment_signoff"]
    sheet = signoff_context(office, ["BF-2026-0007", "BF-2026-0009"], form=signoff)
    render_pdf(signoff, sheet, Path("签领表.pdf"))

    render_pdf(forms["congress_signin"], blank_context(rows=40), Path("签到表.pdf"))
"""

from desktop.printing.capitals import fen_to_capitals
from desktop.printing.context import (
    PrintData,
    blank_context,
    case_context,
    office_procedures,
    signoff_context,
)
from desktop.printing.fields import FORMATS, FieldCatalogue, FieldInfo
from desktop.printing.fonts import BODY_FONTS, FontUnavailable
from desktop.printing.forms import (
    SHEET,
    SIGNOFF,
    Form,
    FormError,
    FormProblem,
    load_forms,
    missing_forms,
    read_form,
)
from desktop.printing.paint import CellRecord
from desktop.printing.render import (
    MissingGlyphs,
    RenderResult,
    missing_characters,
    render_pdf,
)

__all__ = [
    "BODY_FONTS",
    "FORMATS",
    "SHEET",
    "SIGNOFF",
    "CellRecord",
    "FieldCatalogue",
    "FieldInfo",
    "FontUnavailable",
    "Form",
    "FormError",
    "FormProblem",
    "MissingGlyphs",
    "PrintData",
    "RenderResult",
    "blank_context",
    "case_context",
    "fen_to_capitals",
    "load_forms",
    "missing_characters",
    "missing_forms",
    "office_procedures",
    "read_form",
    "render_pdf",
    "signoff_context",
]
