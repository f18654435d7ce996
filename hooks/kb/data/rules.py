"""Every rule id a problem can carry, with its level and a Chinese title for contributors.

One registry for the validator, the YAML loader, the schema messages and the Word import:
a :class:`~kb.data.problems.Problem` names its ``rule`` by an id listed here, and
``data/README.md`` lists them all (a test keeps code, registry and list in step). Ids are
kebab-case and stable: CI annotations and GitLab code-quality fingerprints use them.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.data.problems import ERROR, INFO, WARNING


@dataclass(frozen=True)
class Rule:
    """A kind of problem: its id, its usual level and what it checks (Chinese)."""

    id: str
    level: str
    title: str


def _table(*rules: Rule) -> dict[str, Rule]:
    table = {rule.id: rule for rule in rules}
    assert len(table) == len(rules), "duplicate rule id"
    return table


# ----------------------------------------------------------- validation (data files)
VALIDATION = _table(
    Rule("symlink", ERROR, "符号链接：不读取、不发布"),
    Rule("special-file", ERROR, "设备、管道或套接字：不读取"),
)

# ----------------------------------------------------------------- Word import
IMPORT = _table(
    # the document and its frame (kb.contrib.docx.frame)
    Rule("import-empty", ERROR, "Word 文件中没有任何文字段落"),
    Rule("import-no-title", WARNING, "没有找到报告标题（使用学习教育的标准标题）"),
    Rule("import-no-addressee", WARNING, "没有找到收文的指导组（指导组以名单为准）"),
    Rule("import-date-below-title", INFO, "标题下的日期作为报告日期"),
    Rule("import-no-date", WARNING, "没有找到落款日期（报告日期暂填今天）"),
    Rule("import-attachment-note", INFO, "附件说明已识别"),
    Rule("import-no-opening", ERROR, "没有找到开头段"),
    Rule("import-leftover", WARNING, "段落不属于报告提纲（保留为数据文件末尾的注释）"),
    # unit, campaign and group (kb.contrib.docx.identify)
    Rule("import-campaign-unknown", ERROR, "指定的学习教育不存在"),
    Rule("import-campaign-not-found", ERROR, "无法从标题确定学习教育"),
    Rule("import-campaign-from-roster", INFO, "按名单确定学习教育"),
    Rule("import-group-unknown", ERROR, "收文的指导组编号不存在"),
    Rule("import-group-mismatch", WARNING, "收文的指导组与名单不一致"),
    Rule("import-unit-unregistered", ERROR, "指定的单位没有登记"),
    Rule("import-unit-not-found", ERROR, "无法从正文确定单位"),
    Rule("import-unit-mismatch", WARNING, "正文中的单位与命令行指定的不同"),
    Rule("import-not-in-roster", ERROR, "单位不在学习教育的名单中"),
    # the outline (kb.contrib.docx.outline)
    Rule("import-no-parts", ERROR, "没有找到“一、”“二、”“三、”各部分的标题"),
    Rule("import-part-missing", ERROR, "缺少报告提纲的一个部分"),
    Rule("import-extra-part", WARNING, "超出提纲三个部分的内容（保留为注释）"),
    Rule("import-standard-title", INFO, "部分标题在网页上显示为标准标题"),
    Rule("import-intro-missing", ERROR, "缺少必填的导语段落"),
    Rule("import-no-sections", ERROR, "部分中没有（一）（二）……小节"),
    Rule("import-sections-from-points", INFO, "没有小标题，按“一是、二是……”分为小节"),
    Rule("import-problem-sections", INFO, "问题部分的小标题作为每条的首句"),
    Rule("import-no-points", ERROR, "问题部分中没有“一是、二是……”"),
    Rule("import-no-lead", ERROR, "一条没有可作小标题的首句"),
    Rule("import-section-numbering", WARNING, "小标题编号不连续"),
    Rule("import-empty-title", ERROR, "小标题为空"),
    Rule("import-empty-section", ERROR, "小节只有标题没有正文"),
    Rule("import-doubled-marker", WARNING, "序号重复（如“二是是”）"),
    Rule("import-table-prose", INFO, "表格作为 Markdown 表格放进正文"),
    Rule("import-punctuation", INFO, "半角标点和全角数字、字母已统一"),
    # attached tables (kb.contrib.docx.attachments, ledger, figures)
    Rule("import-table-caption", INFO, "表格的标题随表格导入"),
    Rule("import-ledger-deadline", ERROR, "整改台账的完成时限不是日期"),
    Rule("import-ledger-status", ERROR, "整改台账的状态无法识别"),
    Rule("import-ledger-completed", WARNING, "已完成的整改事项没有完成日期"),
    Rule("import-figures-table", INFO, "数字取自“关键数据”表格"),
    Rule("import-figure-row", WARNING, "关键数据表中的一行未导入（保留为注释）"),
    Rule("import-figure-twice", WARNING, "关键数据表中同一项目出现两次"),
    Rule("import-figure-placeholder", WARNING, "模板中的数字还是“X”"),
    Rule("import-figure-conflict", WARNING, "正文中同一数字项目有两个不同的数字"),
    Rule("import-required-figure-missing", WARNING, "正文中没有找到必填的数字"),
    Rule("import-figure-missing", INFO, "正文中没有找到可选的数字"),
    Rule("import-material-unknown", WARNING, "学习材料表中的材料没有登记（保留为注释）"),
    Rule("import-materials-found", INFO, "根据书名号找到学习材料"),
    Rule("import-materials-missing", INFO, "学习材料无法从 Word 中识别"),
)

RULES: dict[str, Rule] = {**VALIDATION, **IMPORT}
LEVELS = (ERROR, WARNING, INFO)
