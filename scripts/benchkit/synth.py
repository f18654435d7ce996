"""Synthetic, valid data folders for the scale benchmark (``scripts/bench.py``).

:func:`generate` writes a complete data folder — schema and template copies, groups,
units, materials, several campaigns with batches, figures and rosters, and N reports —
that the project validator accepts. Each report carries about 4,000 characters of Chinese
prose composed from a sizeable phrase vocabulary with a seeded RNG: sentences are built
from independent slots (subject, verb, modifier, business term, object, effect, numbers),
so two reports share words but not runs of sentences, and copy detection does not see
them as near-copies. Report ``i`` depends only on the seed and its campaign and unit,
so the first 100 reports of a 1,000-report folder equal a 100-report folder.

The files are written like contributors write them: the ``yaml-language-server``
modeline first, block scalars for prose, plain dates.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from kb.text import chinese_number

FIGURE_ORDER = [("problems_solved", "problems_collected"), ("problems_rectified", "problems_found")]  # (≤, ≥)
REPO_DATA = Path(__file__).resolve().parent.parent.parent / "data"
MODELINE = "# yaml-language-server: $schema={}schema/{}.schema.json\n"

# ---------------------------------------------------------------------------------------
# Units: places × bureaus (each bureau with its own business vocabulary)
# ---------------------------------------------------------------------------------------

PLACES: list[tuple[str, str]] = [
    ("临江", "linjiang"), ("青山", "qingshan"), ("东城", "dongcheng"), ("西湖", "xihu"),
    ("南山", "nanshan"), ("北郊", "beijiao"), ("云岭", "yunling"), ("石门", "shimen"),
    ("河口", "hekou"), ("松林", "songlin"), ("梅岭", "meiling"), ("桃源", "taoyuan"),
    ("凤凰", "fenghuang"), ("白沙", "baisha"), ("龙泉", "longquan"), ("金水", "jinshui"),
    ("玉泉", "yuquan"), ("清河", "qinghe"), ("长乐", "changle"), ("永安", "yongan"),
    ("平阳", "pingyang"), ("安溪", "anxi"), ("新城", "xincheng"), ("古城", "gucheng"),
    ("高新", "gaoxin"), ("滨江", "binjiang"), ("临港", "lingang"), ("江北", "jiangbei"),
    ("城南", "chengnan"), ("城西", "chengxi"), ("柳湾", "liuwan"), ("杏花", "xinghua"),
    ("红星", "hongxing"), ("兴隆", "xinglong"), ("太平", "taiping"), ("宁远", "ningyuan"),
    ("崇仁", "chongren"), ("丰泽", "fengze"), ("湖滨", "hubin"), ("万福", "wanfu"),
    ("双塔", "shuangta"), ("望海", "wanghai"), ("秀峰", "xiufeng"), ("泉山", "quanshan"),
    ("九龙", "jiulong"), ("大泽", "daze"), ("黄岗", "huanggang"), ("青禾", "qinghe2"),
    ("碧水", "bishui"), ("翠屏", "cuiping"), ("宝塔", "baota"), ("乐平", "leping"),
    ("华阳", "huayang"), ("朝阳", "chaoyang"), ("晨光", "chenguang"), ("星湖", "xinghu"),
    ("锦江", "jinjiang"), ("银滩", "yintan"), ("鹿鸣", "luming"), ("鹤山", "heshan"),
]


@dataclass(frozen=True)
class Bureau:
    abbr: str
    name: str  # without the place, e.g. 财政局
    org: str  # 党组 / 党委 / 党工委
    terms: tuple[str, ...]  # business vocabulary
    depts: tuple[str, ...]  # offices that own ledger items

    @property
    def roots(self) -> tuple[str, ...]:
        """Two-character heads and tails of the terms (预算绩效 → 预算, 绩效)."""
        found = dict.fromkeys(t[:2] for t in self.terms if len(t) >= 4)
        found.update(dict.fromkeys(t[-2:] for t in self.terms if len(t) >= 4))
        return tuple(found)


def _b(abbr: str, name: str, org: str, terms: str, depts: str) -> Bureau:
    return Bureau(abbr, name, org, tuple(terms.split()), tuple(depts.split()))


BUREAUS: list[Bureau] = [
    _b("czj", "财政局", "党组",
       "预算绩效 专项债券 直达资金 政府采购 国库支付 非税收入 惠企资金 国有资产 财会监督 零基预算 "
       "三保保障 债务化解 转移支付 乡镇财政 绩效评价",
       "预算科 国库科 政府采购科 债务管理科 绩效管理科 综合科"),
    _b("jyj", "教育局", "党委",
       "课后服务 优质均衡 校园安全 教师队伍 学位供给 双减落实 产教融合 心理健康 校外培训 集团办学 "
       "家校协同 午餐供应 校车管理 控辍保学 特殊教育",
       "基础教育科 人事科 安全稳定科 职成教科 督导室 计划财务科"),
    _b("wjw", "卫生健康局", "党组",
       "家庭医生 基层医疗 医联体 公共卫生 老年健康 预约诊疗 院前急救 妇幼健康 医疗质量 健康乡村 "
       "医院管理 卫生监督 疫苗接种 慢病管理 托育服务",
       "医政医管科 基层卫生科 疾病预防控制科 老龄健康科 规划信息科 综合监督科"),
    _b("mzj", "民政局", "党组",
       "居家养老 社会救助 困难帮扶 社区治理 婚姻登记 殡葬改革 儿童福利 社会组织 残疾补贴 低保管理 "
       "养老机构 助餐服务 临时救助 社工站 地名管理",
       "社会救助科 养老服务科 基层政权科 社会事务科 慈善社工科 办公室"),
    _b("jtj", "交通运输局", "党组",
       "农村公路 公交线网 拥堵治理 运输安全 网约车 停车设施 物流降本 工程质量 出租汽车 公路养护 "
       "城乡客运 货运车辆 驾培市场 充电设施 治超工作",
       "运输管理科 建设管理科 安全监督科 公路管理站 综合执法大队 规划科"),
    _b("zjj", "住房和城乡建设局", "党组",
       "老旧小区 保障住房 物业管理 扬尘治理 房地产 燃气安全 城市更新 工程审批 欠薪治理 加装电梯 "
       "建筑市场 危房改造 排水防涝 施工安全 住房租赁",
       "住房保障科 物业管理科 建筑市场科 城建科 质量安全站 行政审批科"),
    _b("sfj", "司法局", "党组",
       "法律服务 人民调解 执法监督 普法宣传 社区矫正 法律援助 合法性审查 律师管理 涉企执法 纠纷化解 "
       "行政复议 公证服务 法治乡村 法律顾问 安置帮教",
       "公共法律服务科 人民参与和促进法治科 行政执法协调监督科 社区矫正科 法制审核科 办公室"),
    _b("scjgj", "市场监督管理局", "党组",
       "食品安全 特种设备 主体登记 价格监管 知识产权 消费维权 药品安全 计量检测 网络交易 信用监管 "
       "校园食品 广告监管 质量抽检 个体帮扶 商标品牌",
       "食品经营科 特种设备科 登记注册科 价格监督检查科 知识产权科 消费者权益保护科"),
    _b("rsj", "人力资源和社会保障局", "党组",
       "毕业生就业 技能培训 社保经办 根治欠薪 争议调解 人才引进 灵活就业 工伤认定 创业贷款 公开招聘 "
       "零工市场 职称评审 养老保险 失业保险 劳动监察",
       "就业促进科 职业能力建设科 社会保险科 劳动关系科 劳动保障监察大队 人才科"),
    _b("xfj", "信访局", "党组",
       "积案化解 接访下访 热线办理 初信初访 网上信访 信访督查 接诉即办 源头治理 信访法治 重复信访 "
       "信访代理 联合接访 群众来信 矛盾调处 回访核查",
       "来访接待科 办信科 督查科 网上信访科 综合科 复查复核科"),
    _b("nyncj", "农业农村局", "党组",
       "高标准农田 粮食生产 人居环境 特色产业 农产品质量 宅基地 返贫监测 社会化服务 和美乡村 集体经济 "
       "农机推广 种业振兴 秸秆利用 农民培训 冷链物流",
       "种植业科 农田建设科 乡村发展科 农产品质量安全科 农村经营管理科 农业综合执法大队"),
    _b("sthjj", "生态环境局", "党组",
       "大气治理 水质提升 环评审批 固废监管 噪声治理 环境执法 碳达峰 土壤防治 督察整改 排污许可 "
       "水源保护 机动车尾气 臭氧防控 环境监测 危废处置",
       "大气环境科 水生态环境科 环评科 固体废物科 生态环境保护综合行政执法大队 监测站"),
    _b("yjglj", "应急管理局", "党委",
       "安全生产 防汛抗旱 森林防火 危化品 救援队伍 隐患排查 物资储备 主体责任 基层应急 风险普查 "
       "安全执法 消防安全 地震预警 工贸安全 应急演练",
       "安全生产基础科 危化品监管科 防汛抗旱科 应急指挥中心 执法监察大队 救灾物资科"),
    _b("wlj", "文化广电和旅游局", "党组",
       "公共文化 文旅融合 旅游市场 文物安全 非遗传承 全民阅读 演出市场 乡村旅游 智慧旅游 群众文化 "
       "文化执法 图书馆 景区管理 广电服务 夜间经济",
       "公共服务科 产业发展科 市场管理科 文物科 文化市场综合执法大队 资源开发科"),
    _b("slj", "水务局", "党组",
       "城乡供水 河长制 防洪排涝 污水处理 节约用水 饮水安全 水土保持 海绵城市 管网改造 水利工程 "
       "地下水 河道保洁 水费收缴 泵站运行 小型水库",
       "供水管理科 河湖管理科 防汛办公室 排水管理科 水资源科 工程建设科"),
    _b("sj", "商务局", "党组",
       "外贸稳定 消费促进 招商引资 商贸流通 跨境电商 老字号 外资服务 农贸市场 便民生活圈 会展经济 "
       "再生资源 步行街 家政服务 商业网点 预付卡",
       "对外贸易科 市场运行科 投资促进科 流通发展科 电子商务科 外资科"),
    _b("tjj", "统计局", "党组",
       "数据质量 统计造假 经济普查 统计服务 统计执法 联网直报 统计分析 基层统计 统计监督 数据共享 "
       "统计信息化 名录库 抽样调查 统计培训 数据发布",
       "综合科 国民经济核算科 普查中心 执法监督科 工业交通科 社会科技科"),
    _b("kjj", "科学技术局", "党组",
       "科技企业 成果转化 研发投入 高企培育 科技特派员 创新平台 科技金融 科研经费 孵化器 产学研 "
       "技术合同 科普工作 专利转化 实验室 人才项目",
       "高新技术科 成果转化科 创新平台科 农村科技科 科技金融科 监督评估科"),
    _b("ybj", "医疗保障局", "党组",
       "基金监管 异地结算 集中采购 门诊共济 居民参保 医保经办 长护保险 支付改革 定点机构 大病保险 "
       "医保码 药品价格 医疗救助 慢特病 医保稽核",
       "基金监管科 待遇保障科 医药服务管理科 医保经办中心 规划财务科 办公室"),
    _b("zrzyj", "自然资源和规划局", "党组",
       "耕地保护 空间规划 不动产登记 土地供应 矿产管理 违法用地 测绘地信 闲置土地 生态修复 林长制 "
       "交地即交证 用地审批 地质灾害 规划许可 土地整治",
       "耕地保护科 规划科 不动产登记中心 土地利用科 执法监察支队 生态修复科"),
    _b("jd", "街道", "党工委",
       "网格管理 小区治理 养老驿站 物业纠纷 接诉即办 居民议事 垃圾分类 背街小巷 志愿服务 党建引领 "
       "一老一小 平安建设 楼门院 便民服务 社区食堂",
       "党建办 城市管理办 社区建设办 平安建设办 民生保障办 综合执法队"),
    _b("zwfwj", "政务服务管理局", "党组",
       "一网通办 企业开办 事项标准化 好差评 跨省通办 帮办代办 数据共享 审批提速 便民中心 政务热线 "
       "一件事 证照电子化 告知承诺 窗口服务 自助终端",
       "政务服务科 审批协调科 数据资源科 热线管理科 督查考核科 综合科"),
    _b("tyjrj", "退役军人事务局", "党组",
       "就业创业 优抚服务 双拥工作 烈士纪念 服务站 权益维护 褒扬纪念 安置落实 困难帮扶 军休服务 "
       "光荣牌 走访慰问 教育培训 优待证 思想政治",
       "就业创业科 优抚科 褒扬纪念科 移交安置科 权益维护科 服务中心"),
    _b("gxj", "工业和信息化局", "党组",
       "中小企业 数字化转型 产业链 工业投资 专精特新 企业用能 基站建设 清洁生产 园区提质 惠企直达 "
       "技术改造 工业互联网 企业帮扶 智能制造 节能降耗",
       "中小企业科 产业发展科 信息化推进科 节能与综合利用科 投资与技术改造科 运行监测科"),
    _b("gaj", "公安分局", "党委",
       "反电诈 户籍服务 交通管理 治安防控 出入境 执法规范 安全感 派出所 反诈宣传 矛盾排查 "
       "放管服 警情处置 校园安保 网络安全 重点人员",
       "治安管理大队 户政科 交警大队 法制大队 反诈中心 警务保障室"),
]

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


def _figure_value(rng: random.Random, key: str) -> int:
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


# ---------------------------------------------------------------------------------------
# Campaigns, groups, materials
# ---------------------------------------------------------------------------------------

GROUP_COUNT = 8


def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def _figs(spec: str) -> list[dict]:
    out = []
    for item in spec.split(";"):
        key, label, unit, req = item.split(",")
        out.append({"key": key, "label": label, "unit": unit, "required": req == "1"})
    return out


CAMPAIGNS: list[dict] = [
    {
        "id": "2019-bwcx", "name": "“不忘初心、牢记使命”主题教育", "short_name": "2019年主题教育",
        "report_title": "“不忘初心、牢记使命”主题教育自查评估报告", "addressee_prefix": "主题教育",
        "start": _d("2019-06-01"), "end": _d("2020-01-31"),
        "summary": "根本任务是深入学习贯彻习近平新时代中国特色社会主义思想，锤炼忠诚干净担当的政治品格。",
        "batches": [(1, "第一批", "2019-06-01", "2019-08-31", "2019-09-15"),
                    (2, "第二批", "2019-09-01", "2020-01-31", "2020-02-10")],
        "figures": _figs("study_sessions,集中学习研讨,次,1;research_topics,领导班子调研课题,个,1;"
                         "problems_found,检视问题,个,1;problems_rectified,已整改问题,个,1;"
                         "lectures,讲专题党课,次,0"),
    },
    {
        "id": "2021-dsxx", "name": "党史学习教育", "short_name": "2021年党史学习教育",
        "report_title": "党史学习教育开展情况自查评估报告", "addressee_prefix": "党史学习教育",
        "start": _d("2021-02-20"), "end": _d("2021-12-31"),
        "summary": "学史明理、学史增信、学史崇德、学史力行，开展“我为群众办实事”实践活动。",
        "batches": [(1, "全体党组织", "2021-02-20", "2021-12-31", "2022-01-15")],
        "figures": _figs("study_sessions,专题学习,次,1;deeds,为群众办实事,项,1;"
                         "lectures,讲专题党课,次,1;suggestions,征集意见建议,条,0"),
    },
    {
        "id": "2023-zhuti", "name": "学习贯彻习近平新时代中国特色社会主义思想主题教育",
        "short_name": "2023年主题教育", "report_title": "2023年主题教育开展成效自查评估报告",
        "addressee_prefix": "主题教育", "start": _d("2023-04-01"), "end": _d("2024-01-31"),
        "summary": "总要求是“学思想、强党性、重实践、建新功”。",
        "batches": [(1, "第一批", "2023-04-01", "2023-08-31", "2023-09-15"),
                    (2, "第二批", "2023-09-01", "2024-01-31", "2024-02-05")],
        "figures": _figs("research_topics,领导班子领题调研课题,个,1;field_visits,到基层走访,次,1;"
                         "problems_collected,收集到各项问题,个,1;research_reports,撰写专题调研报告,篇,1;"
                         "problems_solved,解决实际问题,个,1;petitions_resolved,解决信访问题,件,1;"
                         "suggestions,征集意见建议,条,0;practical_deeds,为民办实事,项,0;"
                         "rules_established,建章立制,项,0"),
    },
    {
        "id": "2024-dangji", "name": "党纪学习教育", "short_name": "2024年党纪学习教育",
        "report_title": "2024年党纪学习教育开展情况自查评估报告", "addressee_prefix": "党纪学习教育",
        "start": _d("2024-04-01"), "end": _d("2024-07-31"),
        "summary": "以学习贯彻新修订的《中国共产党纪律处分条例》为重点，引导党员干部学纪、知纪、明纪、守纪。",
        "batches": [(1, "全体党组织", "2024-04-01", "2024-07-31", "2024-08-10")],
        "figures": _figs("reading_days,举办读书班,天,1;seminars,开展专题研讨,次,1;"
                         "warning_sessions,开展警示教育,次,1;problems_found,检视问题,个,1;"
                         "problems_rectified,已整改问题,个,1;rules_established,建章立制,项,0"),
    },
]

MATERIAL_KINDS = [
    ("原著", True), ("重要讲话", True), ("辅导读本", False), ("党内法规", False),
    ("专题党课", False), ("典型案例", False), ("警示教育", False),
]


def materials_for(campaign: dict) -> list[dict]:
    """Five synthetic study materials of a campaign, the first two required."""
    out = []
    for i, (category, required) in enumerate(MATERIAL_KINDS[:5], start=1):
        out.append({
            "id": f"{campaign['id']}-m{i}",
            "title": f"{campaign['short_name']}{category}学习材料（第{i}册）",
            "category": category,
            "required": required,
            "publisher": "示例出版社（虚构）",
            "date": campaign["start"] + dt.timedelta(days=i),
            "campaigns": [campaign["id"]],
            "summary": f"供{campaign['short_name']}学习使用的{category}类示例材料，内容为基准测试虚构。",
        })
    return out


GENERAL_MATERIALS = [
    {"id": "general-m1", "title": "党务工作实用手册（示例）", "category": "其他", "required": False,
     "publisher": "示例出版社（虚构）", "date": _d("2020-05-01"), "campaigns": [],
     "summary": "各次学习教育通用的党务工作参考资料（虚构）。"},
    {"id": "general-m2", "title": "基层调查研究案例选编（示例）", "category": "典型案例",
     "required": False, "publisher": "示例出版社（虚构）", "date": _d("2022-03-01"),
     "campaigns": [], "summary": "调查研究的典型案例汇编（虚构）。"},
]

# ---------------------------------------------------------------------------------------
# Assembling a data folder
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SynthUnit:
    id: str
    name: str
    party_org: str
    bureau: Bureau
    place: str
    index: int


def make_unit(index: int) -> SynthUnit:
    """Unit ``index``: bureaus cycle fastest, then places; district/county alternate."""
    bureau = BUREAUS[index % len(BUREAUS)]
    round_, place_index = divmod(index // len(BUREAUS), len(PLACES))
    place, pinyin = PLACES[place_index]
    suffix = "" if round_ == 0 else str(round_ + 1)
    if bureau.abbr == "jd":
        name = f"{place}{suffix and suffix + '号'}街道"
    else:
        level = "区" if place_index % 2 == 0 else "县"
        name = f"{place}{suffix and suffix + '号'}{level}{bureau.name}"
    return SynthUnit(
        id=f"{pinyin}{suffix}-{bureau.abbr}", name=name, party_org=f"{name}{bureau.org}",
        bureau=bureau, place=place, index=index,
    )


def plan(n: int) -> list[tuple[dict, SynthUnit]]:
    """(campaign, unit) of the N reports: every unit reports in every campaign, in order."""
    per_campaign = math.ceil(n / len(CAMPAIGNS))
    units = [make_unit(i) for i in range(per_campaign)]
    pairs = [(c, u) for u in units for c in CAMPAIGNS]
    return pairs[:n]


def group_of(unit: SynthUnit) -> str:
    return f"g{unit.index % GROUP_COUNT + 1}"


def batch_of(campaign: dict, unit: SynthUnit) -> int:
    return 1 + (unit.index // 3) % len(campaign["batches"])


def _date_between(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def report_data(campaign: dict, unit: SynthUnit, seed: int) -> dict:
    """The YAML mapping of one synthetic report (about 4,000 characters of prose)."""
    rng = random.Random(f"{seed}:{campaign['id']}:{unit.id}")
    p = Prose(rng, unit.bureau, unit.name, unit.party_org, unit.place)
    batch = next(b for b in campaign["batches"] if b[0] == batch_of(campaign, unit))
    b_end, b_deadline = _d(batch[3]), _d(batch[4])
    submitted = _date_between(rng, b_end - dt.timedelta(days=12), b_deadline)

    opening = (
        f"{campaign['short_name']}开展以来，{unit.party_org}以{p.term()}为{p.a('抓手|切入点|重点|突破口')}，"
        f"{p.a('坚持把|始终把|切实把')}{campaign['name']}{p.a('作为重大政治任务|摆在突出位置|作为头等大事')}，"
        + p.paragraph(p.sentence, rng.randint(110, 190))
        + f"{p.a('现将|特将|谨将')}{unit.party_org}{campaign['short_name']}"
        + f"{p.a('开展情况|工作情况|开展成效|主要情况')}{p.a('报告如下|汇报如下')}："
    )
    sections = []
    for _ in range(rng.choice((3, 3, 3, 4))):
        section: dict = {
            "title": (f"{p.a('坚持|突出|聚焦|强化|深化|注重|抓实|夯实|锤炼')}{p.pick(ASPECTS)}，"
                      f"{p.a('推动|促进|带动')}{p.term()}{p.pick(GOAL_TAILS)}"),
        }
        if rng.random() < 0.6:
            section["intro"] = p.paragraph(p.sentence, rng.randint(40, 90))
        section["points"] = [
            {"lead": f"{p.pick(VERBS)}{p.term()}{p.pick(OBJECTS)}" if rng.random() < 0.5
             else f"{p.term()}{p.pick(LEAD_STATES)}",
             "text": p.point_text(rng.randint(130, 240))}
            for _ in range(rng.choice((2, 3, 3, 4)))
        ]
        sections.append(section)
    highlights: dict = {"sections": sections}
    if rng.random() < 0.7:
        highlights = {"intro": p.paragraph(p.sentence, rng.randint(50, 110)), **highlights}

    problems = {
        "intro": (f"对照{campaign['short_name']}目标要求，{p.who()}{p.a('认识到|看到|感到')}{p.pick(ASPECTS)}和"
                  f"{p.term()}{p.a('方面|领域')}{p.pick(INTRO_ENDS)}，{p.people()}"
                  f"{p.a('也有反映|有所反映|仍有期盼')}："),
        "points": [
            {"lead": f"{p.who()}{p.pick(NEG)}" if rng.random() < 0.5
             else f"{p.term()}{p.pick(GAPS)}",
             "text": p.paragraph(p.problem_sentence, rng.randint(90, 170))}
            for _ in range(rng.choice((3, 3, 4)))
        ],
    }
    plans = {
        "intro": (f"{p.pick(PLAN_TIMES)}，{p.who()}将{p.pick(PLAN_VERBS)}{p.pick(ASPECTS)}和"
                  f"{p.term()}，推动{campaign['short_name']}成果转化为{p.term()}实效，让"
                  f"{p.people()}{p.a('更满意|得实惠|受益')}。"),
        "sections": [
            {"title": f"{p.pick(PLAN_VERBS)}{p.pick(ASPECTS)}",
             "text": p.paragraph(p.plan_sentence, rng.randint(90, 170))}
            for _ in range(rng.choice((3, 3, 4)))
        ],
    }
    figures = {
        f["key"]: _figure_value(rng, f["key"])
        for f in campaign["figures"] if f["required"] or rng.random() < 0.6
    }
    for big, small in FIGURE_ORDER:  # e.g. problems solved never exceed problems collected
        if big in figures and small in figures and figures[big] > figures[small]:
            figures[big], figures[small] = figures[small], figures[big]
    ledger = []
    for _ in range(rng.randint(2, 6)):
        deadline = _date_between(rng, campaign["start"] + dt.timedelta(days=45),
                                 campaign["end"] + dt.timedelta(days=150))
        status = rng.choice(("已完成", "已完成", "推进中", "长期坚持", "未开始"))
        if status == "已完成" and deadline > submitted:
            status = "推进中"
        item = {
            "problem": f"{p.term()}{p.pick(ISSUES)}",
            "measure": f"{p.pick(VERBS)}{p.thing()}，{p.pick(VERBS)}{p.pick(MODIFIERS)}{p.pick(OBJECTS)}",
            "responsible_unit": p.pick(unit.bureau.depts),
            "responsible_person": rng.choice(("科长", "主任", "副局长", "大队长", "负责人")),
            "deadline": deadline,
            "status": status,
        }
        if status == "已完成":
            item["completed"] = _date_between(rng, deadline - dt.timedelta(days=30), deadline)
        ledger.append(item)
    required = [f"{campaign['id']}-m1", f"{campaign['id']}-m2"]
    optional = [f"{campaign['id']}-m{i}" for i in range(3, 6)] + [m["id"] for m in GENERAL_MATERIALS]
    materials = required + rng.sample(optional, rng.randint(0, 3))
    return {
        "unit": unit.id,
        "campaign": campaign["id"],
        "submitted": submitted,
        "opening": opening,
        "highlights": highlights,
        "problems": problems,
        "plans": plans,
        "figures": figures,
        "ledger": ledger,
        "materials": materials,
    }


def prose_chars(data: object) -> int:
    """Characters of prose in a report mapping (every string except ids and dates)."""
    if isinstance(data, dict):
        return sum(prose_chars(v) for k, v in data.items()
                   if k not in {"unit", "campaign", "materials", "status", "responsible_person"})
    if isinstance(data, list):
        return sum(prose_chars(v) for v in data)
    return len(data) if isinstance(data, str) else 0


class _Dumper(yaml.SafeDumper):
    """Block scalars for prose, plain dates, no line wrapping."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value or len(value) > 60 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: object, modeline: str) -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=10_000, indent=2)
    return modeline + body


@dataclass(frozen=True)
class SynthResult:
    data_dir: Path
    reports: list[Path]
    report_ids: list[str]  # "<campaign>/<unit>"
    prose_chars: int


def generate(dest: Path, n: int, seed: int = 2024) -> SynthResult:
    """Write a data folder with N reports into ``dest`` (created; must be empty or absent)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise FileExistsError(f"{dest} is not empty")
    shutil.copytree(REPO_DATA / "schema", dest / "schema")
    if (REPO_DATA / "template").is_dir():
        shutil.copytree(REPO_DATA / "template", dest / "template")

    pairs = plan(n)
    units = list({u.id: u for _, u in pairs}.values())
    top = MODELINE.format("", "{}")
    groups = [{"id": f"g{i}", "name": f"第{chinese_number(i)}指导组", "number": i,
               "note": f"联系第{i}片区单位（虚构）"} for i in range(1, GROUP_COUNT + 1)]
    (dest / "groups.yml").write_text(dump({"groups": groups}, top.format("groups")), "utf-8")
    (dest / "units.yml").write_text(dump(
        {"units": [{"id": u.id, "name": u.name, "party_org": u.party_org} for u in units]},
        top.format("units")), "utf-8")
    materials = [m for c in CAMPAIGNS for m in materials_for(c)] + GENERAL_MATERIALS
    (dest / "materials.yml").write_text(
        dump({"materials": materials}, top.format("materials")), "utf-8")

    (dest / "campaigns").mkdir()
    for c in CAMPAIGNS:
        roster = [{"unit": u.id, "group": group_of(u), "batch": batch_of(c, u)}
                  for cc, u in pairs if cc is c]
        if not roster:
            continue
        doc = {k: c[k] for k in ("id", "name", "short_name", "report_title", "addressee_prefix",
                                 "start", "end", "summary")}
        doc["batches"] = [{"id": b[0], "name": b[1], "start": _d(b[2]), "end": _d(b[3]),
                           "deadline": _d(b[4])} for b in c["batches"]]
        doc["figures"] = c["figures"]
        doc["required_materials"] = [f"{c['id']}-m1", f"{c['id']}-m2"]
        doc["roster"] = roster
        (dest / "campaigns" / f"{c['id']}.yml").write_text(
            dump(doc, MODELINE.format("../", "campaign")), "utf-8")

    paths, ids, chars = [], [], 0
    report_modeline = MODELINE.format("../../", "report")
    for c, u in pairs:
        folder = dest / "reports" / c["id"]
        folder.mkdir(parents=True, exist_ok=True)
        data = report_data(c, u, seed)
        chars += prose_chars(data)
        path = folder / f"{u.id}.yml"
        path.write_text(dump(data, report_modeline), "utf-8")
        paths.append(path)
        ids.append(f"{c['id']}/{u.id}")
    return SynthResult(dest, paths, ids, chars)
