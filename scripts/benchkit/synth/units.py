"""Synthetic units: places × bureaus, each bureau with its own business vocabulary."""

from __future__ import annotations

from dataclasses import dataclass

from kb.text import chinese_number

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


@dataclass(frozen=True)
class SynthUnit:
    id: str
    name: str
    party_org: str
    bureau: Bureau
    place: str
    index: int


def _numeral(n: int) -> str:
    """二 … 九十九 in Chinese, larger numbers in digits."""
    return chinese_number(n) if n < 100 else str(n)


def unit_key(index: int) -> tuple[str, str, str]:
    """(id, district, name) of unit ``index``: bureaus cycle fastest, then places, then rounds.

    Round 0 is ``<pinyin>-<bureau>`` in 临江区 / 青山县 …; round r ≥ 1 is ``<pinyin>-r<r+1>-<bureau>``
    in 临江第二区 …: three parts where round 0 has two and a numeral no place pinyin ends
    with, so ids never collide (青禾 is ``qinghe2``, which the old ``<pinyin><r+1>`` of 清河's
    second round also made)."""
    bureau = BUREAUS[index % len(BUREAUS)]
    round_, place_index = divmod(index // len(BUREAUS), len(PLACES))
    place, pinyin = PLACES[place_index]
    level = "区" if place_index % 2 == 0 else "县"
    ordinal = "" if round_ == 0 else f"第{_numeral(round_ + 1)}"
    district = f"{place}{ordinal}{level}"
    key = pinyin if round_ == 0 else f"{pinyin}-r{round_ + 1}"
    name = f"{place}{ordinal}街道" if bureau.abbr == "jd" else f"{district}{bureau.name}"
    return f"{key}-{bureau.abbr}", district, name


def make_unit(index: int) -> SynthUnit:
    """Unit ``index`` (see :func:`unit_key`)."""
    bureau = BUREAUS[index % len(BUREAUS)]
    uid, _district, name = unit_key(index)
    place = PLACES[(index // len(BUREAUS)) % len(PLACES)][0]
    return SynthUnit(id=uid, name=name, party_org=f"{name}{bureau.org}",
                     bureau=bureau, place=place, index=index)
