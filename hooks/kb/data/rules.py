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
# One constant per rule, named after its id: code refers to ``rules.YAML_SYNTAX`` and
# builds the problem through it (``Problem.of``), so no rule id is spelled twice.
# Files and folders (kb.data.confine, kb.data.yamlsafe, kb.data.checks.files)
SYMLINK = Rule("symlink", ERROR, "符号链接（快捷方式）：出于安全考虑不读取、不发布")
SPECIAL_FILE = Rule("special-file", ERROR, "设备、管道或套接字：不读取")
FILE_READ = Rule("file-read", ERROR, "文件或目录无法读取（如没有权限）")
FILE_SIZE = Rule("file-size", ERROR, "数据文件超过 1 MiB")
MISSING_FILE = Rule("missing-file", ERROR, "缺少 groups.yml、units.yml 或 materials.yml")
LAYOUT = Rule("layout", ERROR, "文件的位置或扩展名不对，或报告的 campaign、unit 与所在路径不一致（被忽略的其他文件为警告）")
FILE_NAME = Rule("file-name", ERROR, "文件名或目录名不是合规的标识，或学习教育的 id 与文件名不一致")
FILE_NAME_CASE = Rule("file-name-case", ERROR, "两个文件名只有大小写不同")
FILE_NAME_ENCODING = Rule("file-name-encoding", ERROR, "文件名或目录名不是 UTF-8 编码")
MODELINE = Rule("modeline", WARNING, "第一行缺少或写错了编辑器的 $schema 声明")
# Text and YAML syntax (kb.data.yamltext, kb.data.yamlsafe)
ENCODING = Rule("encoding", ERROR, "文件不是 UTF-8（无 BOM）编码")
CONTROL_CHAR = Rule("control-char", ERROR, "含有不可打印的控制字符")
TAB = Rule("tab", ERROR, "缩进中使用了 Tab 制表符")
INVISIBLE_CHAR = Rule("invisible-char", ERROR, "缩进或字段名中有看不见的字符（全角空格、零宽字符等）")
FULLWIDTH_COLON = Rule("fullwidth-colon", ERROR, "字段名后用了全角冒号“：”")
YAML_SYNTAX = Rule("yaml-syntax", ERROR, "YAML 语法错误")
YAML_MULTI_DOC = Rule("yaml-multi-doc", ERROR, "一个文件里有多个 YAML 文档（“---”）")
YAML_DEPTH = Rule("yaml-depth", ERROR, "嵌套层级过深（超过 32 层）")
YAML_KEY = Rule("yaml-key", ERROR, "字段名不是简单的文本")
YAML_DUPLICATE_KEY = Rule("yaml-duplicate-key", ERROR, "同一层中字段名重复")
YAML_ALIAS = Rule("yaml-alias", ERROR, "使用了 YAML 锚点或别名（&、*）")
YAML_TAG = Rule("yaml-tag", ERROR, "使用了 YAML 标签（如 !!python/…、!!str）")
YAML11_INT = Rule("yaml11-int", ERROR, "整数写法有歧义（前导 0、冒号等），YAML 1.1 会读成别的数")
# The JSON Schemas (kb.data.schema, kb.data.messages)
SCHEMA_MISSING = Rule("schema-missing", ERROR, "缺少 JSON Schema 文件")
SCHEMA_BROKEN = Rule("schema-broken", ERROR, "JSON Schema 文件无法使用")
SCHEMA_TYPE = Rule("schema-type", ERROR, "类型不对（应为文本、整数、列表等），包括 YAML 1.1 误读的值")
SCHEMA_REQUIRED = Rule("schema-required", ERROR, "缺少必填字段")
UNKNOWN_FIELD = Rule("unknown-field", ERROR, "未知字段（多为拼写错误）")
SCHEMA_ENUM = Rule("schema-enum", ERROR, "取值不在允许范围内（如整改状态、材料类别）")
SCHEMA_MINIMUM = Rule("schema-minimum", ERROR, "数字小于下限（如负数）")
SCHEMA_MAXIMUM = Rule("schema-maximum", ERROR, "数字大于上限")
SCHEMA_EMPTY = Rule("schema-empty", ERROR, "文本为空")
SCHEMA_MAX_LENGTH = Rule("schema-max-length", ERROR, "文本太长")
SCHEMA_MIN_ITEMS = Rule("schema-min-items", ERROR, "列表项太少")
SCHEMA_MAX_ITEMS = Rule("schema-max-items", ERROR, "列表项太多")
DUPLICATE = Rule("duplicate", ERROR, "列表中有重复项")
SCHEMA_PATTERN = Rule("schema-pattern", ERROR, "格式不对（标识、日期、链接等）")
SCHEMA_DATE = Rule("schema-date", ERROR, "不是真实存在的日期")
SCHEMA_KEY = Rule("schema-key", ERROR, "键名不合规（如关键数字的键名）")
SCHEMA_OTHER = Rule("schema-other", ERROR, "不符合 JSON Schema 的其他要求")
# Between files (kb.data.checks.refs, kb.data.load)
DUPLICATE_ID = Rule("duplicate-id", ERROR, "标识重复（学习教育、单位、指导组、材料、批次、数字键名，名册中的单位）")
UNKNOWN_ID = Rule("unknown-id", ERROR, "引用了不存在的标识（学习教育、单位、指导组、材料、批次）")
ROSTER = Rule("roster", ERROR, "单位不在学习教育的名册（roster）中")
DUPLICATE_REPORT = Rule("duplicate-report", ERROR, "同一单位在同一学习教育中有两份报告")
AT_MOST = Rule("at-most", ERROR, "at_most 指向了本项数字自己")
UNKNOWN_FIGURE = Rule("unknown-figure", ERROR, "数字键名没有在学习教育的 figures 中声明")
# Reports (kb.data.checks.report, kb.data.checks.text)
MISSING_FIGURE = Rule("missing-figure", ERROR, "缺少学习教育要求的关键数字")
FIGURES_CONSISTENCY = Rule("figures-consistency", WARNING, "关键数字前后矛盾（如解决的问题多于收集的问题）")
FIGURES_ZERO = Rule("figures-zero", WARNING, "关键数字全部为 0")
REQUIRED_MATERIALS = Rule("required-materials", WARNING, "没有列出学习材料，而学习教育有必读材料")
PLACEHOLDER = Rule("placeholder", ERROR, "模板占位符（X个、【请填写…】或台账的示例文字）没有替换")
NUMBERING = Rule("numbering", WARNING, "小节标题或领句自带序号，或领句以“。”结尾（网页会自动加上）")
DATE_ORDER = Rule("date-order", WARNING, "日期先后不合理（如结束早于开始）")
LEDGER_COMPLETED = Rule("ledger-completed", WARNING, "整改状态与完成日期不一致")
LEDGER_ONGOING = Rule("ledger-ongoing", ERROR, "完成时限是“长期坚持”“持续推进”“常态化”，状态却不是“长期坚持”")
# Prose fields (kb.data.checks.prose)
PROSE_LINK = Rule("prose-link", ERROR, "正文中的链接不是完整网址（不是 http、https、mailto 的链接为警告）")
PROSE_BRACKETS = Rule("prose-brackets", ERROR, "正文中的方括号“[”太多、嵌套太深或没有配对")
PROSE_NESTING = Rule("prose-nesting", ERROR, "正文中的列表缩进或引用“>”嵌套太深")
PROSE_LINES = Rule("prose-lines", ERROR, "一段正文超过 300 行")
PROSE_MARKUP = Rule("prose-markup", ERROR, "一段正文中的 Markdown 标记符号超过 2000 个")
PROSE_COMMENT = Rule("prose-comment", WARNING, "正文中“ #”后面的文字被当成了注释，不会出现在网页上")

VALIDATION = _table(
    SYMLINK, SPECIAL_FILE, FILE_READ, FILE_SIZE, MISSING_FILE, LAYOUT, FILE_NAME, FILE_NAME_CASE,
    FILE_NAME_ENCODING, MODELINE,
    ENCODING, CONTROL_CHAR, TAB, INVISIBLE_CHAR, FULLWIDTH_COLON, YAML_SYNTAX, YAML_MULTI_DOC,
    YAML_DEPTH, YAML_KEY, YAML_DUPLICATE_KEY, YAML_ALIAS, YAML_TAG, YAML11_INT,
    SCHEMA_MISSING, SCHEMA_BROKEN, SCHEMA_TYPE, SCHEMA_REQUIRED, UNKNOWN_FIELD, SCHEMA_ENUM,
    SCHEMA_MINIMUM, SCHEMA_MAXIMUM, SCHEMA_EMPTY, SCHEMA_MAX_LENGTH, SCHEMA_MIN_ITEMS,
    SCHEMA_MAX_ITEMS, DUPLICATE, SCHEMA_PATTERN, SCHEMA_DATE, SCHEMA_KEY, SCHEMA_OTHER,
    DUPLICATE_ID, UNKNOWN_ID, ROSTER, DUPLICATE_REPORT, AT_MOST, UNKNOWN_FIGURE,
    MISSING_FIGURE, FIGURES_CONSISTENCY, FIGURES_ZERO, REQUIRED_MATERIALS, PLACEHOLDER, NUMBERING,
    DATE_ORDER, LEDGER_COMPLETED, LEDGER_ONGOING,
    PROSE_LINK, PROSE_BRACKETS, PROSE_NESTING, PROSE_LINES, PROSE_MARKUP, PROSE_COMMENT,
)

# ----------------------------------------------------------------- Word import
# Named like the validation rules; kb.contrib.docx refers to them as ``rules.IMPORT_…``.
# The document and its frame (kb.contrib.docx.frame)
IMPORT_EMPTY = Rule("import-empty", ERROR, "Word 文件中没有任何文字段落")
IMPORT_NO_TITLE = Rule("import-no-title", WARNING, "没有找到报告标题（使用学习教育的标准标题）")
IMPORT_NO_ADDRESSEE = Rule("import-no-addressee", WARNING, "没有找到收文的指导组（指导组以名单为准）")
IMPORT_DATE_BELOW_TITLE = Rule("import-date-below-title", INFO, "标题下的日期作为报告日期")
IMPORT_NO_DATE = Rule("import-no-date", WARNING, "没有找到落款日期（报告日期留作待填写）")
IMPORT_ATTACHMENT_NOTE = Rule("import-attachment-note", INFO, "附件说明已识别")
IMPORT_NO_OPENING = Rule("import-no-opening", ERROR, "没有找到开头段")
IMPORT_LEFTOVER = Rule("import-leftover", WARNING, "段落不属于报告提纲（保留为数据文件末尾的注释）")
# Unit, campaign and group (kb.contrib.docx.identify)
IMPORT_CAMPAIGN_UNKNOWN = Rule("import-campaign-unknown", ERROR, "指定的学习教育不存在")
IMPORT_CAMPAIGN_NOT_FOUND = Rule("import-campaign-not-found", ERROR, "无法从标题确定学习教育")
IMPORT_CAMPAIGN_FROM_ROSTER = Rule("import-campaign-from-roster", INFO, "按名单确定学习教育")
IMPORT_GROUP_UNKNOWN = Rule("import-group-unknown", ERROR, "收文的指导组编号不存在")
IMPORT_GROUP_MISMATCH = Rule("import-group-mismatch", WARNING, "收文的指导组与名单不一致")
IMPORT_UNIT_UNREGISTERED = Rule("import-unit-unregistered", ERROR, "指定的单位没有登记")
IMPORT_UNIT_NOT_FOUND = Rule("import-unit-not-found", ERROR, "无法从正文确定单位")
IMPORT_UNIT_MISMATCH = Rule("import-unit-mismatch", WARNING, "正文中的单位与命令行指定的不同")
IMPORT_NOT_IN_ROSTER = Rule("import-not-in-roster", ERROR, "单位不在学习教育的名单中")
# The outline (kb.contrib.docx.outline)
IMPORT_NO_PARTS = Rule("import-no-parts", ERROR, "没有找到“一、”“二、”“三、”各部分的标题")
IMPORT_PART_MISSING = Rule("import-part-missing", ERROR, "缺少报告提纲的一个部分")
IMPORT_EXTRA_PART = Rule("import-extra-part", WARNING, "超出提纲三个部分的内容（保留为注释）")
IMPORT_STANDARD_TITLE = Rule("import-standard-title", INFO, "部分标题在网页上显示为标准标题")
IMPORT_INTRO_MISSING = Rule("import-intro-missing", ERROR, "缺少必填的导语段落")
IMPORT_NO_SECTIONS = Rule("import-no-sections", ERROR, "部分中没有（一）（二）……小节")
IMPORT_SECTIONS_FROM_POINTS = Rule("import-sections-from-points", INFO, "没有小标题，按“一是、二是……”分为小节")
IMPORT_PROBLEM_SECTIONS = Rule("import-problem-sections", INFO, "问题部分的小标题作为每条的首句")
IMPORT_NO_POINTS = Rule("import-no-points", ERROR, "问题部分中没有“一是、二是……”")
IMPORT_NO_LEAD = Rule("import-no-lead", ERROR, "一条没有可作小标题的首句")
IMPORT_SECTION_NUMBERING = Rule("import-section-numbering", WARNING, "小标题编号不连续")
IMPORT_EMPTY_TITLE = Rule("import-empty-title", ERROR, "小标题为空")
IMPORT_EMPTY_SECTION = Rule("import-empty-section", ERROR, "小节只有标题没有正文")
IMPORT_DOUBLED_MARKER = Rule("import-doubled-marker", WARNING, "序号重复（如“二是是”）")
IMPORT_TABLE_PROSE = Rule("import-table-prose", INFO, "表格作为 Markdown 表格放进正文")
IMPORT_PUNCTUATION = Rule("import-punctuation", INFO, "半角标点和全角数字、字母已统一")
# Attached tables (kb.contrib.docx.attachments, ledger, figures)
IMPORT_TABLE_CAPTION = Rule("import-table-caption", INFO, "表格的标题随表格导入")
IMPORT_LEDGER_DEADLINE = Rule("import-ledger-deadline", ERROR, "整改台账的完成时限不是日期")
IMPORT_LEDGER_STATUS = Rule("import-ledger-status", ERROR, "整改台账的状态无法识别")
IMPORT_LEDGER_COMPLETED = Rule("import-ledger-completed", WARNING, "已完成的整改事项没有完成日期")
IMPORT_LEDGER_ONGOING = Rule("import-ledger-ongoing", WARNING, "完成时限为“长期坚持”等，状态按“长期坚持”导入")
IMPORT_FIGURES_TABLE = Rule("import-figures-table", INFO, "数字取自“关键数据”表格")
IMPORT_FIGURE_ROW = Rule("import-figure-row", WARNING, "关键数据表中的一行未导入（保留为注释）")
IMPORT_FIGURE_TWICE = Rule("import-figure-twice", WARNING, "关键数据表中同一项目出现两次")
IMPORT_FIGURE_PLACEHOLDER = Rule("import-figure-placeholder", WARNING, "模板中的数字还是“X”")
IMPORT_FIGURE_CONFLICT = Rule("import-figure-conflict", WARNING, "正文中同一数字项目有两个不同的数字")
IMPORT_REQUIRED_FIGURE_MISSING = Rule("import-required-figure-missing", WARNING, "正文中没有找到必填的数字")
IMPORT_FIGURE_MISSING = Rule("import-figure-missing", INFO, "正文中没有找到可选的数字")
IMPORT_MATERIAL_UNKNOWN = Rule("import-material-unknown", WARNING, "学习材料表中的材料没有登记（保留为注释）")
IMPORT_MATERIALS_FOUND = Rule("import-materials-found", INFO, "根据书名号找到学习材料")
IMPORT_MATERIALS_MISSING = Rule("import-materials-missing", INFO, "学习材料无法从 Word 中识别")

IMPORT = _table(
    IMPORT_EMPTY, IMPORT_NO_TITLE, IMPORT_NO_ADDRESSEE, IMPORT_DATE_BELOW_TITLE, IMPORT_NO_DATE,
    IMPORT_ATTACHMENT_NOTE, IMPORT_NO_OPENING, IMPORT_LEFTOVER, IMPORT_CAMPAIGN_UNKNOWN,
    IMPORT_CAMPAIGN_NOT_FOUND, IMPORT_CAMPAIGN_FROM_ROSTER, IMPORT_GROUP_UNKNOWN, IMPORT_GROUP_MISMATCH,
    IMPORT_UNIT_UNREGISTERED, IMPORT_UNIT_NOT_FOUND, IMPORT_UNIT_MISMATCH, IMPORT_NOT_IN_ROSTER,
    IMPORT_NO_PARTS, IMPORT_PART_MISSING, IMPORT_EXTRA_PART, IMPORT_STANDARD_TITLE, IMPORT_INTRO_MISSING,
    IMPORT_NO_SECTIONS, IMPORT_SECTIONS_FROM_POINTS, IMPORT_PROBLEM_SECTIONS, IMPORT_NO_POINTS,
    IMPORT_NO_LEAD, IMPORT_SECTION_NUMBERING, IMPORT_EMPTY_TITLE, IMPORT_EMPTY_SECTION, IMPORT_DOUBLED_MARKER,
    IMPORT_TABLE_PROSE, IMPORT_PUNCTUATION, IMPORT_TABLE_CAPTION, IMPORT_LEDGER_DEADLINE,
    IMPORT_LEDGER_STATUS, IMPORT_LEDGER_COMPLETED, IMPORT_LEDGER_ONGOING, IMPORT_FIGURES_TABLE, IMPORT_FIGURE_ROW,
    IMPORT_FIGURE_TWICE, IMPORT_FIGURE_PLACEHOLDER, IMPORT_FIGURE_CONFLICT, IMPORT_REQUIRED_FIGURE_MISSING,
    IMPORT_FIGURE_MISSING, IMPORT_MATERIAL_UNKNOWN, IMPORT_MATERIALS_FOUND, IMPORT_MATERIALS_MISSING,
)

# --------------------------------------------------------------------- intake
# Named like the import rules; kb.contrib.intake refers to them as ``rules.INTAKE_…``.
# The roster of units and their registration (kb.contrib.intake.roster, register)
INTAKE_ROSTER_UNREADABLE = Rule("intake-roster-unreadable", ERROR, "名单文件无法读取（不是表格、已加密、已损坏或过大）")
INTAKE_ROSTER_NO_HEADER = Rule("intake-roster-no-header", ERROR, "名单中没有找到表头（单位名称、党组织名称、指导组、批次）")
INTAKE_ROSTER_TOO_MANY_ROWS = Rule("intake-roster-too-many-rows", ERROR, "名单超过 20000 行")
INTAKE_ROSTER_ROW = Rule("intake-roster-row", WARNING, "名单中的一行无法登记（缺少单位名称、名称含控制字符或过长、与前面的行重复），已跳过")
INTAKE_UNIT_CONFLICT = Rule("intake-unit-conflict", ERROR, "名单中的单位与已登记的单位不一致（未改动）")
INTAKE_UNIT_INCOMPLETE = Rule("intake-unit-incomplete", ERROR, "新单位缺少党组织名称")
INTAKE_CAMPAIGN_UNKNOWN = Rule("intake-campaign-unknown", ERROR, "指定的学习教育不存在")
INTAKE_GROUP_UNKNOWN = Rule("intake-group-unknown", ERROR, "指导组不存在或有歧义")
INTAKE_BATCH_UNKNOWN = Rule("intake-batch-unknown", ERROR, "批次不存在")
INTAKE_ROSTER_MISSING = Rule("intake-roster-missing", ERROR, "单位不在学习教育的名单中，且没有给出指导组或批次")
INTAKE_ROSTER_CONFLICT = Rule("intake-roster-conflict", ERROR, "单位已在学习教育的名单中，指导组或批次与名单文件不同（未改动）")
# The outcome of one inbox file, as the pipeline annotates it (kb.contrib.intake.summary)
INTAKE_FILE = Rule("intake-file", ERROR, "收件箱中的文件需要处理或导入失败（有警告的导入为警告）")

INTAKE = _table(
    INTAKE_ROSTER_UNREADABLE, INTAKE_ROSTER_NO_HEADER, INTAKE_ROSTER_TOO_MANY_ROWS, INTAKE_ROSTER_ROW,
    INTAKE_UNIT_CONFLICT, INTAKE_UNIT_INCOMPLETE, INTAKE_CAMPAIGN_UNKNOWN, INTAKE_GROUP_UNKNOWN,
    INTAKE_BATCH_UNKNOWN, INTAKE_ROSTER_MISSING, INTAKE_ROSTER_CONFLICT, INTAKE_FILE,
)

RULES: dict[str, Rule] = {**VALIDATION, **IMPORT, **INTAKE}
LEVELS = (ERROR, WARNING, INFO)
