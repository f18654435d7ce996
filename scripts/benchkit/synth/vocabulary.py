"""The prose of synthetic reports: word pools and the seeded sentence maker (:class:`Prose`)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from benchkit.synth.units import Bureau

# ---------------------------------------------------------------------------------------
# Prose vocabulary. Copy detection counts runs of 13 or more identical characters
# (punctuation ignored) as copied, so every fixed piece of a sentence pattern is short,
# the slots between them come from large pools, and numbers are frequent: a window of
# 13 characters almost always spans several independent random choices.
# ---------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


GENERIC_TERMS = _words(
    "营商环境 民生实事 基层减负 作风建设 数字政务 安全生产 信访稳定 干部培训 廉政风险 制度建设 "
    "队伍建设 服务质量 应急处置 信息公开 政策宣传 数据治理 窗口作风 执法规范 群众工作 基层党建 "
    "意见办理 督查督办 档案管理 内控管理 风险排查 对口帮扶 结对共建 文明创建 志愿服务 机关效能"
)
FUNCTIONS = _words(
    "管理 服务 监管 保障 审核 执行 改革 监测 核查 统计 调度 宣传 培训 督查 评估 考核 帮扶 整治 "
    "提升 攻坚 治理 协同 联办 巡查"
)
SUBJ_HEADS = _words("机关 基层 驻点 专项 窗口 一线 青年 离退休 新任 片区 直属 执法 业务 各")
SUBJ_TAILS = _words(
    "党支部 科室 党员 干部 工作组 调研组 专班 骨干 站所 队伍 人员 书记 联络员 网格员 志愿者 "
    "党小组 负责人 服务队"
)
VERBS = _words(
    "梳理 排查 建立 完善 推行 组织 开展 制定 健全 深化 压实 细化 修订 优化 推动 落实 整合 打通 "
    "规范 统筹 探索 创新 强化 加强 拓展 升级 简化 推广 固化 夯实 督促 跟踪 复盘 核查 清理 对接 "
    "会商 试行 重塑 延伸 编制 搭建 筹建 部署 实施 启用 改进 调整 充实 盘活 畅通 理顺 厘清 提升 "
    "扩大 配齐 选派 培育 引入 布设"
)
MODIFIERS = _words(
    "全流程 常态化 清单式 闭环式 分片区 精细化 标准化 数字化 网格化 项目化 分级 跨部门 点对点 "
    "全覆盖 定期 专项 联动 滚动式 台账式 一体化 可量化 嵌入式 穿透式 预警式 周调度 月通报 限时 "
    "多渠道 面对面 沉浸式 小切口 靶向 动态 差异化 协同 集约化 前置 双向 链条式 阶梯式 全链条 "
    "分层级 按季度 逐户 逐项 常设 轻量化 便捷化 智能化 可视化 模块化 错时 上门 预约式 一站式 "
    "清单化 菜单式 组团式"
)
OBJECTS = _words(
    "机制 清单 台账 流程 办法 制度 平台 专窗 指南 规程 预案 看板 专班 例会 专报 简报 档案 队伍 "
    "网络 驿站 课堂 基地 样板 细则 指引 专栏 热线 目录 标准 模板 系统 小程序 地图 手册 课程 "
    "题库 案例库 联络群 服务包 评价表 责任书 时间表 路线图 任务书 工作法 督办单 提醒函 明白纸 "
    "服务卡 信息库 风险图 问题池 项目库 人才库 监测点 示范点 联系点 服务点 观察点"
)
COUNT_UNITS = _words("项 条 个 次 场 批 份 件")
PEOPLE_HEADS = _words("辖区 周边 广大 一线 园区 片区 社区 农村 城区 重点 困难 新就业 外来 老年 青年")
PEOPLE_TAILS = _words(
    "群众 企业 居民 职工 商户 家庭 学生 家长 农户 骑手 司机 经营者 创业者 务工人员 服务对象 "
    "市场主体 残疾人 群体 住户 患者"
)
ISSUES = _words(
    "办理慢 材料多 标准乱 信息少 跑腿多 回应慢 覆盖窄 有盲区 衔接差 打折扣 知晓低 流程繁 等待久 "
    "反复跑 重复报 责任虚 门槛高 成本高 排队长 不透明 难预约 难查询 难落地 不配套 缺人手 缺经费 "
    "底数不清 推诿扯皮 重形式 不便民"
)
METRICS = _words(
    "办理时间 办结时间 审批时限 响应时间 兑付周期 等待时间 处置时长 办件周期 到账时间 受理时长 "
    "流转时间 出件时间 回复时限 核查周期 结算周期 排队时间"
)
TIME_UNITS = ["天", "小时", "日", "分钟"]
PRAISE = _words(
    "更满意 很认可 纷纷点赞 给予肯定 好评增多 反映较好 评价提升 获得感增强 认为方便 感到暖心 "
    "主动点赞 送来锦旗 表示满意 连声称赞 认可度高"
)
SLOGANS = _words(
    "四下基层 一线工作法 接诉即办 未诉先办 马上就办 一次办好 小切口 清单管理 闭环管理 首问负责 "
    "限时办结 容缺受理 帮办代办 就近办 掌上办 最多跑一次 一窗通办 集成服务 周周见面 月月回访"
)
CLOSURES = _words(
    "件件有着落 事事有回音 底数清 责任到人 限时办结 对账销号 动态清零 闭环管理 不留尾巴 "
    "按期销号 跟踪问效 一抓到底 有始有终 紧盯不放"
)
SITES = _words(
    "乡镇 村居 社区 重点企业 产业园区 基层站所 窗口单位 项目现场 服务大厅 困难家庭 田间地头 "
    "建设工地 学校 医院 商圈 工地 码头 集市 敬老院 网格"
)
PARTNERS = _words("税务 公安 人社 街道 社区 银行 医院 学校 市场监管 住建 交通 卫健 民政 司法 信访 "
                  "工会 团委 妇联 商会 协会")
ASPECTS = _words(
    "理论学习 调查研究 检视整改 服务群众 制度执行 作风建设 队伍建设 成果转化 基层党建 业务融合 "
    "推动发展 纪律建设 担当作为 统筹协调"
)
GAPS = _words(
    "不够深入 仍有差距 存在短板 有待加强 不够系统 不够扎实 落实不够 需要提升 针对性不强 还有弱项 "
    "机制不全 离期盼有距离"
)
QUALIFIERS = _words("部分 个别 少数 一些 有的 极少数")
NEG = _words(
    "满足于学时 习惯老办法 听汇报多 看现场少 研究不够 韧劲不足 等靠要 理解不深 办法不多 重部署 "
    "轻落实 沟通不够 担当不足 了解不细 本领不强 协调不够 针对性差 联系实际少 总结不及时 预判不足 "
    "敷衍应付 标准不高 动力不足 作风不实 精力分散"
)
CONSEQUENCE_VERBS = _words("导致 造成 使得 影响 拖慢 削弱")
OUTCOMES = _words(
    "推进偏慢 效果打折 出现反复 进展不一 落实滞后 质量不高 群众不满 成效不显 衔接不畅 形成堵点 "
    "留下隐患 口碑下降"
)
PLAN_TIMES = _words("下一步 明年 年底前 今后 巩固阶段 每季度 下半年 三年内 常态化推进中 近期")
PLAN_VERBS = _words("持续深化 扎实推进 着力提升 不断健全 切实加强 全面巩固 持续推动 坚决守牢 加快完善 "
                    "抓好 聚力 统筹抓好")
GOAL_TAILS = _words("走深走实 提质增效 落地见效 取得突破 迈上台阶 见行见效 规范高效 再上水平 形成长效 "
                    "惠及更多群众")
LEAD_STATES = _words("延伸到末端 落到实处 走在前列 见到实效 形成闭环 有新进展 跑出加速度 更加精准 "
                     "实现全覆盖 打开新局面 提质扩面")
OPENERS = _words("同时 此外 另外 与此同时 在此基础上 为此 随后 其间 此后 对此 进一步 一方面 另一方面")
PLACE_SUBS = _words("片区 社区 乡镇 示范点 园区 窗口 街区")
SCOPES = _words("全域 全区 全县 全系统 各片区 各站所")
TIMES = _words("今年以来 集中学习阶段 调研阶段 检视整改中 近三个月 专项整治中 活动启动后 读书班期间 "
               "对照检视中 推进中 上半年 下半年 第一阶段 收官阶段")
MONTH_PARTS = _words("上旬 中旬 下旬 初 底")
LOC_CHARS = list("青石兴和安平福金银桥湖山河林园春秋明光华新民德顺泰康宁丰盛隆昌荣源泉溪岭峰港湾洲"
                 "桃李梅竹松柏杨柳云霞虹星月阳东西南北中江")
LOC_KINDS = _words("村 社区 小区 路 街 园区 片区 镇 集镇 新村")
INTRO_ENDS = _words("还有一些差距和不足 仍存在一些短板 还有不少薄弱环节 还有需要改进的地方 同要求相比还有差距")


@dataclass
class Prose:
    """One report's sentence maker: a seeded RNG and the unit's vocabulary."""

    rng: random.Random
    bureau: Bureau
    unit_name: str
    org: str
    place: str

    def pick(self, seq: list[str] | tuple[str, ...]) -> str:
        return self.rng.choice(seq)

    def n(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def a(self, options: str) -> str:
        """One of the ``|``-separated alternatives (synonyms of a fixed phrase)."""
        return self.rng.choice(options.split("|"))

    def term(self) -> str:
        """A business term: the bureau's own, a general one, or a root of the bureau's
        terms with a function word (预算 + 监管) — about 600 choices per bureau."""
        r = self.rng.random()
        if r < 0.3:
            return self.pick(self.bureau.terms)
        if r < 0.45:
            return self.pick(GENERIC_TERMS)
        return self.pick(self.bureau.roots) + self.pick(FUNCTIONS)

    def who(self) -> str:
        return self.pick(SUBJ_HEADS) + self.pick(SUBJ_TAILS)

    def people(self) -> str:
        return self.pick(PEOPLE_HEADS) + self.pick(PEOPLE_TAILS)

    def when(self) -> str:
        if self.rng.random() < 0.5:
            return f"{self.n(3, 12)}月{self.pick(MONTH_PARTS)}"
        return self.pick(TIMES)

    def thing(self) -> str:
        return f"{self.pick(MODIFIERS)}{self.term()}{self.pick(OBJECTS)}"

    def count(self, lo: int = 2, hi: int = 90) -> str:
        return f"{self.n(lo, hi)}{self.pick(COUNT_UNITS)}"

    def effect(self) -> str:
        r = self.rng.randrange(9)
        if r == 0:
            before = self.n(5, 180)
            unit = self.pick(TIME_UNITS)
            return (f"{self.term()}{self.pick(METRICS)}由{before}{unit}"
                    f"{self.a('缩短到|压缩到|减少到|降至|压减到')}{self.n(1, max(2, before // 2))}{unit}")
        if r == 1:
            return f"{self.people()}满意度{self.a('达|达到|提升到|升至')}{self.n(86, 99)}.{self.n(0, 9)}%"
        if r == 2:
            return f"{self.a('惠及|服务|覆盖')}{self.people()}{self.n(120, 98000)}人次"
        if r == 3:
            return f"{self.a('解决|化解|办结')}{self.term()}{self.a('问题|事项|诉求')}{self.n(3, 360)}个"
        if r == 4:
            return f"{self.a('投诉|差评|退件|重复来访')}{self.a('下降|减少')}{self.n(5, 62)}%"
        if r == 5:
            return f"{self.people()}{self.pick(PRAISE)}"
        if r == 6:
            return f"{self.a('办结率|按期率|回访率|满意率')}{self.a('提高到|达到')}{self.n(85, 99)}%"
        if r == 7:
            return f"{self.a('节约资金|节省经费|减少支出')}{self.n(12, 980)}万元"
        return f"{self.a('新增|新建|增设')}{self.pick(OBJECTS)}{self.n(2, 90)}个"

    def sentence(self) -> str:
        """One sentence of the 亮点做法 part, from one of a dozen patterns."""
        pick, term, a = self.pick, self.term, self.a
        pattern = self.rng.randrange(13)
        if pattern == 0:
            return (f"{self.when()}，{self.who()}{pick(VERBS)}{self.thing()}，"
                    f"{pick(VERBS)}{pick(OBJECTS)}{self.count()}，{self.effect()}。")
        if pattern == 1:
            return (f"{a('针对|围绕|聚焦|对于')}{self.people()}{a('反映的|提出的|关心的')}{term()}"
                    f"{pick(ISSUES)}{a('问题|难题|堵点')}，{pick(VERBS)}{pick(MODIFIERS)}{pick(OBJECTS)}，"
                    f"{self.effect()}。")
        if pattern == 2:
            return (f"{a('围绕|聚焦|针对')}{term()}和{term()}，{self.who()}{a('深入|走进|下沉到')}"
                    f"{pick(SITES)}{a('蹲点|调研|走访')}{self.n(4, 160)}次，{a('形成|撰写|完成')}{term()}"
                    f"{a('报告|调研报告|专题报告')}{self.n(2, 40)}篇，{a('提出|梳理|形成')}{term()}"
                    f"{a('建议|对策|意见')}{self.n(10, 480)}条。")
        if pattern == 3:
            return (f"坚持{pick(SLOGANS)}，把{term()}和{term()}"
                    f"{a('结合起来|贯通起来|统筹起来|一体推进')}，{pick(VERBS)}{self.thing()}，"
                    f"{self.effect()}。")
        if pattern == 4:
            return (f"{a('通过|依托|借助|运用')}{pick(MODIFIERS)}{pick(OBJECTS)}，{term()}"
                    f"{pick(METRICS)}{a('压减|缩短|减少|压缩')}{self.n(10, 70)}%，"
                    f"{self.people()}{pick(PRAISE)}。")
        if pattern == 5:
            return (f"{pick(OPENERS)}，{pick(VERBS)}{term()}{pick(OBJECTS)}{self.n(2, 60)}"
                    f"{a('项|个|条')}，{pick(VERBS)}{self.thing()}，{a('做到|确保|实现')}"
                    f"{pick(CLOSURES)}。")
        if pattern == 6:
            return (f"在{self.place}{pick(PLACE_SUBS)}试点{self.thing()}，{self.when()}"
                    f"{a('推广到|覆盖|铺开到|延伸至')}{pick(SCOPES)}，"
                    f"{a('累计办理|累计受理|共办理')}{self.people()}{a('诉求|事项|申请')}"
                    f"{self.n(60, 9000)}件。")
        if pattern == 7:
            return (f"组织{self.who()}到{pick(SITES)}{a('跟班学习|蹲点|驻点|跟岗')}{self.n(2, 30)}天，"
                    f"{a('查找|梳理|发现')}{term()}{a('堵点|难点|问题')}{self.n(3, 90)}个，"
                    f"{self.effect()}。")
        if pattern == 8:
            return (f"{self.who()}{a('每月|每周|每季度')}{self.n(1, 6)}次到{pick(SITES)}"
                    f"{a('听取|收集|征求')}{self.people()}意见，{pick(VERBS)}{pick(OBJECTS)}"
                    f"{self.count()}。")
        if pattern == 9:
            return (f"{self.when()}，{a('召开|组织|举办')}{term()}{a('专题会|推进会|座谈会|调度会')}"
                    f"{self.n(2, 19)}次，{a('出台|制定|印发')}{self.thing()}，"
                    f"{a('明确|细化|分解')}任务{self.n(5, 96)}项。")
        if pattern == 10:
            return (f"以{pick(SLOGANS)}推动{term()}，{pick(VERBS)}{pick(OBJECTS)}，"
                    f"{pick(VERBS)}{term()}{pick(OBJECTS)}，{self.effect()}。")
        if pattern == 11:
            return (f"把{term()}作为{a('检验|衡量|评价')}{pick(ASPECTS)}的{a('标尺|尺子|标准')}，"
                    f"{pick(VERBS)}{self.thing()}{self.n(2, 40)}项，{self.effect()}。")
        return (f"{pick(OPENERS)}，{self.who()}与{pick(PARTNERS)}{pick(VERBS)}{pick(OBJECTS)}，"
                f"{self.effect()}。")

    def consequence(self) -> str:
        return f"{self.pick(CONSEQUENCE_VERBS)}{self.term()}{self.pick(OUTCOMES)}"

    def loc(self) -> str:
        """A made-up local place (village, community, road …): 3,600 names × 10 kinds."""
        return self.pick(LOC_CHARS) + self.pick(LOC_CHARS) + self.pick(LOC_KINDS)

    def problem_sentence(self) -> str:
        pick, a = self.pick, self.a
        r = self.rng.randrange(4)
        if r == 0:
            return (f"{pick(QUALIFIERS)}{self.who()}{pick(NEG)}，{self.consequence()}，"
                    f"{a('涉及|影响')}{self.people()}{self.n(20, 9000)}{a('人|户|家')}。")
        if r == 1:
            return (f"在{self.loc()}{a('等地|一带|周边')}，{self.term()}{pick(ISSUES)}问题"
                    f"{a('尚未根治|仍有反弹|还没解决|时有发生')}，{self.consequence()}。")
        if r == 2:
            return (f"{self.people()}反映的{self.term()}{pick(ISSUES)}问题"
                    f"{a('仍然存在|还较突出|反复出现|尚未解决|比较集中')}，{self.loc()}"
                    f"{a('一带|周边')}{a('诉求|来信|工单')}{self.n(3, 900)}件"
                    f"{a('尚未办结|仍在办理|超过时限')}。")
        return (f"{self.term()}{a('工作|方面')}{pick(GAPS)}，{pick(QUALIFIERS)}{self.who()}"
                f"{pick(NEG)}。")

    def plan_sentence(self) -> str:
        pick, a = self.pick, self.a
        r = self.rng.randrange(4)
        if r == 0:
            return (f"{pick(PLAN_TIMES)}，{self.who()}{pick(VERBS)}{self.thing()}，"
                    f"推动{self.term()}{pick(GOAL_TAILS)}。")
        if r == 1:
            return (f"力争{self.term()}{pick(METRICS)}再{a('压减|缩短|减少')}{self.n(5, 40)}%，"
                    f"{pick(MODIFIERS)}{pick(OBJECTS)}{a('覆盖|惠及|服务')}{self.people()}"
                    f"{self.n(50, 9000)}{a('户|人|家')}。")
        if r == 2:
            return (f"在{self.loc()}{a('等地|一带')}{a('扩大|推广|深化')}{pick(MODIFIERS)}{self.term()}"
                    f"{pick(OBJECTS)}，{a('预计|力争')}{a('覆盖|带动')}{self.people()}"
                    f"{self.n(50, 9000)}{a('户|人')}。")
        return (f"坚持{pick(SLOGANS)}，把{self.who()}{self.term()}{a('经验|做法|办法')}"
                f"{a('固化为|提炼为|转化为')}{pick(MODIFIERS)}{pick(OBJECTS)}，{self.effect()}。")

    def paragraph(self, make: Callable[[], str], target: int) -> str:
        parts: list[str] = []
        while sum(map(len, parts)) < target:
            parts.append(make())
        return "".join(parts)

    def point_text(self, target: int) -> str:
        """A point of 亮点做法, sometimes with a short Markdown list or bold phrase."""
        text = self.paragraph(self.sentence, target)
        r = self.rng.random()
        if r < 0.12:
            items = [f"{self.pick(VERBS)}{self.thing()}" for _ in range(self.n(3, 4))]
            lines = "\n".join(f"- {item}；" for item in items[:-1]) + f"\n- {items[-1]}。"
            text += f"主要做法有：\n\n{lines}"
        elif r < 0.2:
            text = f"**{self.pick(MODIFIERS)}{self.term()}。**" + text
        return text


def figure_value(rng: random.Random, key: str) -> int:
    ranges = {
        "research_topics": (3, 24), "field_visits": (12, 220), "problems_collected": (20, 400),
        "research_reports": (2, 20), "problems_solved": (10, 300), "petitions_resolved": (0, 90),
        "suggestions": (30, 900), "practical_deeds": (5, 120), "rules_established": (2, 30),
        "reading_days": (3, 10), "seminars": (2, 16), "warning_sessions": (1, 12),
        "problems_found": (8, 160), "problems_rectified": (5, 150), "study_sessions": (6, 60),
        "lectures": (1, 12), "deeds": (5, 120), "cases": (1, 20),
    }
    lo, hi = ranges.get(key, (1, 50))
    return rng.randint(lo, hi)
