"""Report checks against its campaign: figures, study materials, the 整改台账, dates.

The figures a report gives are those its campaign declares (required ones present, none
unknown, ``at_most`` respected, not all zero); an empty ``materials`` is flagged when the
campaign has required materials; a ledger field still holding its column label (问题,
整改措施 …) is the scaffold's example; dates are checked against the campaign and batch,
a closed (已完成) item needs its completion date, and an ongoing deadline (长期坚持, 持续推进,
常态化) goes with the status 长期坚持.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kb.data import rules
from kb.data import schema as schemas
from kb.data.checks.base import Collector, as_id, get, iso_date, items
from kb.data.checks.refs import CampaignInfo, Index
from kb.data.messages import suggest
from kb.data.problems import WARNING
from kb.data.yamlsafe import SourceDoc


@dataclass(frozen=True)
class LedgerTerms:
    """What the 整改台账 checks read from the report schema of the data being checked."""

    done: str  # the status that closes an item (已完成), "" when the schema has none
    labels: dict[str, str]  # free-text field -> its column label (problem: 问题 …)
    ongoing: tuple[str, ...] = ()  # deadlines that are no date (长期坚持, 持续推进, 常态化)
    ongoing_status: str = ""  # the status they go with (长期坚持)
    statuses: tuple[str, ...] = ()  # every status of the schema (another one is already a schema error)

    @classmethod
    def of(cls, compiled: dict[str, schemas.CompiledSchema]) -> LedgerTerms:
        report = compiled.get(schemas.LEDGER_ITEM[0])
        labels = schemas.text_field_titles(report.schema, schemas.LEDGER_ITEM[1]) if report else {}
        enums = schemas.enums_of(compiled)
        return cls(enums.done, labels, enums.ongoing_deadlines, enums.ongoing_status, enums.ledger_statuses)


def check_report(
    out: Collector, doc: SourceDoc, info: CampaignInfo | None, entry: dict | None, index: Index, ledger: LedgerTerms,
) -> None:
    """Every check of this module on one report (``info`` None: its campaign is unknown)."""
    if info is not None:
        _check_figures(out, doc, info)
        _check_dates(out, doc, info, entry, ledger)
        _check_required_materials(out, doc, info, index)
    _check_ledger_labels(out, doc, ledger.labels)
    _check_ongoing(out, doc, ledger)


def _check_figures(out: Collector, doc: SourceDoc, info: CampaignInfo) -> None:
    figures = get(doc, "figures")
    if not isinstance(figures, dict):
        return
    declared = info.figures
    suggested: set[str] = set()
    for key in figures:
        if key not in declared:
            close = suggest(str(key), list(declared))
            suggested.add(close)
            hint = f"，是否想写 {close}？" if close else f"（本学习教育声明的数字：{'、'.join(declared)}）"
            out.at(doc, ("figures", key), f"学习教育 {info.doc.path.stem} 没有声明数字 {key}{hint}", key=True, found=str(key), rule=rules.UNKNOWN_FIGURE)
    for key, spec in declared.items():
        if spec.get("required") is True and key not in figures and key not in suggested:
            out.at(
                doc, ("figures",), f"缺少必填数字 {key}（{spec.get('label', '')}，单位：{spec.get('unit', '')}）",
                key=True, expected=key, rule=rules.MISSING_FIGURE,
            )
    _check_zero_figures(out, doc, figures, declared)
    for big, spec in declared.items():
        small = spec.get("at_most")
        if not isinstance(small, str) or small not in declared or small == big:
            continue
        a, b = figures.get(big), figures.get(small)
        if type(a) is int and type(b) is int and a > b:
            label_a = declared.get(big, {}).get("label", big)
            label_b = declared.get(small, {}).get("label", small)
            out.at(
                doc, ("figures", big), f"“{label_a}”（{a}）多于“{label_b}”（{b}），请核对",
                level=WARNING, found=f"{a} > {b}", rule=rules.FIGURES_CONSISTENCY,
            )


def _check_zero_figures(out: Collector, doc: SourceDoc, figures: dict, declared: dict[str, dict]) -> None:
    """Warning when every required figure is 0: the scaffold's figures were never filled in."""
    required = [key for key, spec in declared.items() if spec.get("required") is True]
    values = [figures.get(key) for key in required]
    if not required or any(type(v) is not int or v != 0 for v in values):
        return
    names = "、".join(f"{key}（{declared[key].get('label', '')}）" for key in required)
    out.at(
        doc, ("figures",), f"关键数据全部为 0，请填写实际数字：figures 中的 {names}都是 0",
        level=WARNING, key=True, found="0", rule=rules.FIGURES_ZERO,
    )


def _check_required_materials(out: Collector, doc: SourceDoc, info: CampaignInfo, index: Index) -> None:
    """Warning for ``materials: []`` when the campaign lists required study materials.

    A report may list only some of them (units study different texts); an empty list is
    what the scaffold leaves when the campaign had none, or a contributor's “fill in later”.
    A missing ``materials`` is already a schema error.
    """
    if get(doc, "materials") != [] or not info.required_materials:
        return
    required = info.required_materials
    names = "、".join(
        f"《{index.material_titles[m]}》（{m}）" if m in index.material_titles else m for m in required
    )
    out.at(
        doc, ("materials",),
        f"未列出本次学习教育的必读材料：materials 是空的，而学习教育 {info.doc.path.stem} 的必读材料有 {names}；"
        f"请把本单位学习过的材料 id 写进 materials",
        level=WARNING, expected="、".join(required), found="[]", rule=rules.REQUIRED_MATERIALS,
    )


def _check_ledger_labels(out: Collector, doc: SourceDoc, labels: dict[str, str]) -> None:
    """Error when a 整改台账 field still holds its column label (problem: 问题), as in the scaffold's example."""
    for i, item in items(doc, "ledger"):
        for name, label in labels.items():
            value = item.get(name)
            if isinstance(value, str) and _is_label(value, label):
                out.at(
                    doc, ("ledger", i, name),
                    f"整改台账第 {i + 1} 条的 {name}（{label}）还是示例文字“{value.strip()}”：请填写实际的{label}",
                    found=value, rule=rules.PLACEHOLDER,
                )


def _check_ongoing(out: Collector, doc: SourceDoc, ledger: LedgerTerms) -> None:
    """Error when an ongoing deadline (长期坚持 …) has another status than 长期坚持."""
    if not ledger.ongoing_status:
        return
    for i, item in items(doc, "ledger"):
        deadline, status = item.get("deadline"), item.get("status")
        if deadline in ledger.ongoing and isinstance(status, str) and status != ledger.ongoing_status:
            out.at(
                doc, ("ledger", i, "status"),
                f"整改台账第 {i + 1} 条的完成时限是“{deadline}”，状态应为“{ledger.ongoing_status}”而不是“{status}”；"
                f"如果已有完成时限，请把 deadline 写成日期 YYYY-MM-DD",
                expected=ledger.ongoing_status, found=status, rule=rules.LEDGER_ONGOING,
            )


def _is_label(value: str, label: str) -> bool:
    """``value`` is ``label`` itself, maybe with a bracketed note (责任单位（处室）)."""
    text = value.strip()
    return text == label or bool(re.fullmatch(re.escape(label) + r"\s*[（(][^）)]*[）)]", text))


def _check_dates(out: Collector, doc: SourceDoc, info: CampaignInfo, entry: dict | None, ledger: LedgerTerms) -> None:
    done = ledger.done
    start = iso_date(get(info.doc, "start"))
    batch_id = as_id(entry.get("batch")) if entry else None
    batch = info.batches.get(batch_id) if batch_id is not None else None
    submitted = iso_date(get(doc, "submitted"))
    batch_start = iso_date(batch.get("start")) if batch else None
    if submitted and batch_start and submitted < batch_start:
        out.at(
            doc, ("submitted",), f"报送日期早于所在批次（{batch.get('name', '')}）的开始日期 {batch_start}，请核对",
            level=WARNING, found=submitted, rule=rules.DATE_ORDER,
        )
    if submitted:
        _check_submitted_late(out, doc, submitted, batch, iso_date(get(info.doc, "end")))
    for i, item in items(doc, "ledger"):
        deadline, status = iso_date(item.get("deadline")), item.get("status")
        if deadline and start and deadline < start:
            out.at(
                doc, ("ledger", i, "deadline"), f"整改时限早于学习教育开始日期 {start}，请核对",
                level=WARNING, found=deadline, rule=rules.DATE_ORDER,
            )
        if done and status == done and not item.get("completed"):
            out.at(
                doc, ("ledger", i, "status"), f"状态为“{done}”，但没有填写完成日期 completed",
                level=WARNING, expected="completed: YYYY-MM-DD", rule=rules.LEDGER_COMPLETED,
            )
        elif done and item.get("completed") and status in ledger.statuses and status != done:
            out.at(
                doc, ("ledger", i, "completed"), f"填写了完成日期，但状态是“{status}”而不是“{done}”，请核对",
                level=WARNING, found=status, rule=rules.LEDGER_COMPLETED,
            )


LATE_DAYS = 61  # a report date this long after its deadline is most likely the day the file was made


def _check_submitted_late(out: Collector, doc: SourceDoc, submitted: str, batch: dict | None, end: str | None) -> None:
    """Warning for a report date in the future, or months after the batch's deadline
    (the campaign's end without one): most likely the date the file was made, not the
    date the report was signed."""
    today = dt.date.today()
    day = dt.date.fromisoformat(submitted)
    hint = "请写报告的落款日期（报送日期），不要写今天或制作文件的日期"
    if day > today:
        out.at(
            doc, ("submitted",), f"报送日期 {submitted} 还没有到（晚于今天 {today.isoformat()}）：{hint}",
            level=WARNING, found=submitted, rule=rules.DATE_ORDER,
        )
        return
    deadline = iso_date(batch.get("deadline")) if batch else None
    what = f"所在批次（{batch.get('name', '')}）的报送截止日期" if deadline and batch else "学习教育的结束日期"
    limit = deadline or end
    if limit and (day - dt.date.fromisoformat(limit)).days > LATE_DAYS:
        months = (day - dt.date.fromisoformat(limit)).days // 30
        out.at(
            doc, ("submitted",), f"报送日期 {submitted} 比{what} {limit} 晚了 {months} 个多月：{hint}",
            level=WARNING, found=submitted, rule=rules.DATE_ORDER,
        )
