"""Write the activity log of ``samples/binjiang-2025.yaml`` from the rest of that file.

The sample's organisation, branches, plan and member development are written by hand. The
activity log (five hundred rows) is generated here, deterministically, from those parts: every
branch gets what 《中国共产党支部工作条例（试行）》 requires (a general meeting each quarter, a
committee meeting, a Party-group meeting per group and a theme Party day each month, a lecture
by the secretary, the organisational life meeting, the appraisal of members, heart-to-heart
talks), on working days of 2025, with topics that follow the year's real calendar.

Only the lines between the two marker comments under ``activities:`` are replaced, so running
the script on the committed file reproduces it exactly::

    python tools/make_sample.py            # rewrite the activity log in place
    python tools/make_sample.py --check    # exit 1 if the committed file is not what we write
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dangjian_docs.model import Activity  # noqa: E402

SAMPLE = ROOT / "samples" / "binjiang-2025.yaml"
BEGIN = "  # ==== 活动记录开始（tools/make_sample.py 生成） ===="
END = "  # ==== 活动记录结束 ===="
YEAR = 2025

# 2025 public holidays (国务院办公厅通知); meetings fall on the other weekdays.
HOLIDAYS = {
    dt.date(2025, 1, 1),
    *(dt.date(2025, 1, 28) + dt.timedelta(days=i) for i in range(8)),
    *(dt.date(2025, 4, 4) + dt.timedelta(days=i) for i in range(3)),
    *(dt.date(2025, 5, 1) + dt.timedelta(days=i) for i in range(5)),
    dt.date(2025, 5, 31), dt.date(2025, 6, 1), dt.date(2025, 6, 2),
    dt.date(2025, 9, 3),
    *(dt.date(2025, 10, 1) + dt.timedelta(days=i) for i in range(8)),
}

ORG_SECRETARY = "王建国"
PRESIDENT = "李振华"
DISCIPLINE_SECRETARY = "孙建平"
ORGANISATION_HEAD = "谢红梅"  # 党委组织部部长, runs the training courses
PUBLICITY_HEAD = "唐静"  # 党委宣传科科长, runs the volunteer services
COMMITTEE_SIZE = 9  # 党委委员
CENTRE_GROUP_SIZE = 15  # 理论学习中心组成员

PLACES = {
    "neike1": "内科楼十二楼示教室", "neike2": "内科楼九楼示教室", "waike": "外科楼六楼会议室",
    "yiji": "医技楼三楼会议室", "yaoxue": "药学部会议室", "huli": "护理部会议室",
    "jiguan": "行政楼三楼会议室", "lituixiu": "老干部活动中心",
}
PARTY_ROOM = "党员活动室"
HALL = "行政楼一楼学术报告厅"
BOARD_ROOM = "行政楼五楼党委会议室"

# What each branch's daily work is about; used to tie committee topics to the branch's business.
FOCUS = {
    "neike1": "胸痛中心建设", "neike2": "卒中中心建设", "waike": "围手术期安全管理",
    "yiji": "检查检验结果互认", "yaoxue": "合理用药和处方点评", "huli": "优质护理服务",
    "jiguan": "行政后勤服务保障", "lituixiu": "离退休老党员关心关爱",
}


# -- the calendar ----------------------------------------------------------------------------

def is_workday(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS


def workday_from(day: dt.date) -> dt.date:
    """``day`` or the first working day after it (never past the month's end if avoidable)."""
    start = day
    while not is_workday(day):
        day += dt.timedelta(days=1)
    if day.month != start.month:  # went past the month: look backwards instead
        day = start
        while not is_workday(day):
            day -= dt.timedelta(days=1)
    return day


def nth_workday(month: int, n: int) -> dt.date:
    day = dt.date(YEAR, month, 1)
    count = 0
    while True:
        if is_workday(day):
            count += 1
            if count == n:
                return day
        day += dt.timedelta(days=1)


def weekday_in_month(month: int, weekday: int, nth: int) -> dt.date:
    """The ``nth`` (1-based; -1 for the last) given weekday of a month, moved to a working day."""
    days = [dt.date(YEAR, month, d) for d in range(1, 32)
            if _valid(month, d) and dt.date(YEAR, month, d).weekday() == weekday]
    return workday_from(days[nth - 1] if nth > 0 else days[-1])


def _valid(month: int, day: int) -> bool:
    try:
        dt.date(YEAR, month, day)
    except ValueError:
        return False
    return True


# -- topics, month by month ------------------------------------------------------------------
# Each entry: (topic, task id). {focus} is the branch's business (FOCUS).

COMMITTEE_TOPICS: dict[int, list[tuple[str, str]]] = {
    1: [("研究制定支部2025年工作计划，部署2024年度组织生活会准备工作", "T3.1.1"),
        ("讨论支部年度工作要点，研究组织生活会征求意见和谈心谈话安排", "T3.1.1")],
    2: [("通报2024年度组织生活会和民主评议党员情况，研究制定整改措施", "T3.1.1"),
        ("研究春节后党员思想动态和{focus}工作安排", "T5.2")],
    3: [("研究部署深入贯彻中央八项规定精神学习教育，制定支部学习计划", "T2.3"),
        ("研究学习教育安排，讨论第一季度支部党员大会议程", "T2.3")],
    4: [("研究落实改善就医感受提升患者体验主题活动的支部举措", "T5.2"),
        ("结合学习教育查摆作风问题，研究{focus}中的服务短板", "T2.3")],
    5: [("研究“五四”“5·12”系列活动安排和党员示范岗推荐人选", "T5.1"),
        ("研究党员示范岗创建和{focus}工作推进情况", "T5.1")],
    6: [("研究七一评先推优推荐人选，讨论发展党员工作", "T6.2"),
        ("研究推荐优秀共产党员人选和上半年支部工作小结", "T6.2")],
    7: [("研究学习教育专题组织生活会准备工作，审议支委会对照检视材料", "T2.3"),
        ("研究专题组织生活会方案，梳理学习教育查摆问题整改清单", "T2.3")],
    8: [("研究上半年党费收缴和党员教育管理情况，部署下半年工作", "T3.3"),
        ("研究中国医师节活动安排和{focus}工作", "T5.1")],
    9: [("研究第三季度支部党员大会议程，分析医德医风和行风建设情况", "T4.2"),
        ("研究医德医风问题排查和整改情况，部署国庆期间工作", "T4.2")],
    10: [("研究国庆期间党员值班和志愿服务安排，部署第四季度工作", "T5.3"),
         ("研究党员示范岗亮诺践诺情况和{focus}工作", "T5.1")],
    11: [("研究学习贯彻党的二十届四中全会精神的具体措施", "T2.2"),
         ("研究全会精神学习安排和支部年度工作总结提纲", "T2.2")],
    12: [("研究支部年度工作总结，部署年度组织生活会和民主评议党员准备工作", "T3.1.1"),
         ("审议支部年度工作总结和党费收缴情况，研究明年工作思路", "T3.1.1")],
}

GROUP_TOPICS: dict[int, list[tuple[str, str]]] = {
    1: [("学习《中国共产党纪律处分条例》，交流遵规守纪体会", "T4.2"),
        ("学习习近平总书记关于党的自我革命的重要思想", "T2.1"),
        ("交流2024年个人学习收获，查找自身不足", "T3.1.1")],
    2: [("学习二十届中央纪委四次全会公报", "T4.1"),
        ("学习《医疗机构工作人员廉洁从业九项准则》", "T4.2"),
        ("讨论科室年度重点工作中的党员责任", "T5.1")],
    3: [("学习全国两会精神和政府工作报告卫生健康内容", "T2.1"),
        ("原原本本学习中央八项规定及其实施细则", "T2.3"),
        ("学习深化以公益性为导向的公立医院改革有关要求", "T1.3")],
    4: [("学习中央八项规定精神学习教育有关要求，对照查摆作风问题", "T2.3"),
        ("学习医药领域腐败问题典型案例通报，开展警示交流", "T4.1"),
        ("学习《中国共产党章程》总纲", "T3.1.1")],
    5: [("学习《党章》中党员的义务和权利", "T3.1.1"),
        ("讨论改善就医感受提升患者体验的党员举措", "T5.2"),
        ("围绕门诊“一站式”服务谈党员作为", "T5.2")],
    6: [("学习医德医风先进典型事迹", "T4.2"),
        ("学习《医疗纠纷预防和处理条例》", "T5.2"),
        ("交流学习教育阶段性学习体会", "T2.3")],
    7: [("学习党史，回顾中国共产党一百零四年奋斗历程", "T2.1"),
        ("开展学习教育查摆问题整改情况交流", "T2.3"),
        ("学习《中国共产党党员教育管理工作条例》", "T3.2")],
    8: [("学习习近平总书记关于卫生健康工作的重要论述", "T2.1"),
        ("学习《健康中国行动》有关内容，讨论健康科普工作", "T5.3"),
        ("交流中国医师节先进典型事迹", "T6.2")],
    9: [("学习伟大抗战精神，交流观看纪念大会体会", "T6.2"),
        ("学习《医疗质量安全核心制度要点》", "T5.2"),
        ("学习安全生产和消防安全有关要求", "T1.1.2")],
    10: [("学习《中国共产党支部工作条例（试行）》", "T3.1.1"),
         ("交流国庆期间优质服务典型事例", "T5.2"),
         ("讨论党员示范岗亮诺践诺情况", "T5.1")],
    11: [("学习党的二十届四中全会公报", "T2.2"),
         ("学习《中共中央关于制定国民经济和社会发展第十五个五年规划的建议》", "T2.2"),
         ("交流学习党的二十届四中全会精神体会", "T2.2")],
    12: [("学习宪法和民法典中医疗损害责任有关规定", "T6.1"),
         ("对照党员标准开展年度自查，为年度组织生活会做准备", "T3.1.1"),
         ("交流全年学习收获，讨论明年学习计划", "T3.1.1")],
}

THEME_DAYS: dict[int, list[tuple[str, str, str | None]]] = {  # (topic, task, place)
    1: [("新春走访慰问困难党员和离退休老党员", "T3.2", None),
        ("学习《中国共产党纪律处分条例》，签订廉洁从业承诺书", "T4.2", None),
        ("“新春送健康”义诊进社区", "T5.3", "滨江市江南街道社区卫生服务中心")],
    2: [("学习贯彻二十届中央纪委四次全会精神", "T4.1", None),
        ("学习全国卫生健康工作会议精神，谋划年度工作", "T2.1", None)],
    3: [("学雷锋志愿服务：走进社区开展健康义诊", "T5.3", "滨江市城东街道新华社区"),
        ("深入贯彻中央八项规定精神学习教育专题学习", "T2.3", None),
        ("学雷锋月：党员便民服务进门诊", "T5.3", "门诊大厅")],
    4: [("清明缅怀革命先烈，赴滨江市革命烈士陵园开展祭扫活动", "T6.2", "滨江市革命烈士陵园"),
        ("参观滨江市廉政教育基地，接受警示教育", "T4.3", "滨江市廉政教育基地")],
    5: [("“五四”青年党员座谈：青春建功健康滨江", "T6.3", None),
        ("党员示范岗亮诺践诺，提升患者就医体验", "T5.1", None),
        ("走进对口帮扶乡镇卫生院开展义诊带教", "T5.3", "滨江市青石镇卫生院")],
    6: [("重温入党誓词，迎接建党104周年", "T6.2", None),
        ("“党员先锋岗”健康服务进企业", "T5.3", "滨江经济开发区"),
        ("学习身边榜样，开展“最美医务工作者”事迹分享", "T6.2", None)],
    7: [("庆祝建党104周年，参观滨江市党史馆", "T6.2", "滨江市党史馆"),
        ("学习教育专题：对照检视作风问题，谈认识谈整改", "T2.3", None)],
    8: [("中国医师节：弘扬崇高职业精神，医者仁心主题交流", "T6.2", None),
        ("学习习近平总书记关于卫生健康工作的重要论述", "T2.1", None)],
    9: [("纪念中国人民抗日战争暨世界反法西斯战争胜利80周年，重温抗战历史", "T6.2", None),
        ("观看抗战胜利80周年专题纪录片，弘扬伟大抗战精神", "T6.2", None)],
    10: [("党员志愿服务：门诊导诊和便民服务", "T5.3", "门诊大厅"),
         ("学习党章，交流党员示范岗创建体会", "T5.1", None)],
    11: [("学习贯彻党的二十届四中全会精神，谈体会、话落实", "T2.2", None),
         ("糖尿病防治健康义诊和科普宣传", "T5.3", "滨江市人民广场"),
         ("改善就医感受提升患者体验党员服务承诺", "T5.2", None)],
    12: [("国家宪法日：学习宪法，弘扬宪法精神", "T6.1", None),
         ("年终主题党日：党员积分评定和全年活动成果展示", "T3.1.1", None)],
}

RETIRED_THEME_DAYS = {  # the retired branch's own theme days where the usual ones do not fit
    3: ("学雷锋月：老党员健康讲座和义务咨询", "T5.3", "老干部活动中心"),
    5: ("观看“五四”主题影片，座谈老一辈医务工作者奋斗故事", "T6.2", "老干部活动中心"),
    6: ("重温入党誓词，为党龄50年以上老党员颁发纪念章", "T6.2", "老干部活动中心"),
    8: ("老专家座谈：医院发展历程回顾", "T6.2", "老干部活动中心"),
    10: ("重阳节敬老座谈，听取老党员对医院发展的意见建议", "T6.3", "老干部活动中心"),
}

GENERAL_MEETINGS = {  # quarter → (month, topic, task)
    1: (3, "传达学习全国两会精神，通报支部2025年工作计划", "T3.1.1"),
    2: (6, "开展七一评先推优，民主推荐优秀共产党员", "T6.2"),
    3: (9, "通报学习教育开展情况和上半年党费收缴情况", "T2.3"),
    4: (12, "学习贯彻党的二十届四中全会精神，通报支部全年工作情况", "T2.2"),
}

PLENUM_LECTURES = {  # the November lecture on the plenum, one subtitle a branch
    "neike1": "锚定“十五五”目标，推动心血管学科高质量发展",
    "neike2": "深刻领会全会精神，奋力推进健康滨江建设",
    "waike": "以全会精神引领外科技术创新和质量安全",
    "yiji": "把握高质量发展要求，提升医技服务能力",
    "yaoxue": "以全会精神指导药学服务转型",
    "huli": "以全会精神引领护理事业高质量发展",
    "jiguan": "以全会精神推动机关作风建设",
    "lituixiu": "老党员学全会、话发展",
}

SECRETARY_LECTURES = {
    "neike1": "坚守初心使命，做人民健康的忠诚守护者",
    "neike2": "把党建优势转化为学科发展优势",
    "waike": "以严的基调强化纪律作风，做清正廉洁的白衣战士",
    "yiji": "以精准检验守护医疗质量，践行党员责任",
    "yaoxue": "坚持合理用药，守护患者用药安全",
    "huli": "传承南丁格尔精神，践行优质护理服务",
    "jiguan": "转变机关作风，当好临床一线服务员",
    "lituixiu": "离岗不离党，退休不褪色",
}

PARTY_COMMITTEE_TOPICS = [  # two a month
    ("研究审议医院2025年党建工作计划，部署2024年度组织生活会和民主评议党员工作", "T3.1.1"),
    ("研究2025年度全面从严治党主体责任清单和党风廉政建设工作要点", "T4.1"),
    ("研究年度医疗设备采购计划和大额资金使用事项", "T1.1.2"),
    ("研究中层干部选拔任用事项", "T1.1.2"),
    ("研究部署深入贯彻中央八项规定精神学习教育", "T2.3"),
    ("审议党委会议事规则和院长办公会议事规则修订稿", "T1.1.1"),
    ("研究医技党支部换届选举和发展党员工作", "T3.1.3"),
    ("研究改善就医感受提升患者体验主题活动实施方案", "T5.2"),
    ("研究医院章程修订稿，推进党建工作要求写入章程", "T1.2"),
    ("研究薪酬制度改革和绩效考核方案", "T1.3"),
    ("研究七一表彰名单和建党104周年纪念活动方案", "T6.2"),
    ("研究上半年意识形态工作和重大基建项目安排", "T6.1"),
    ("听取学习教育开展情况汇报，研究专题民主生活会准备工作", "T2.3"),
    ("研究医药领域腐败问题集中整治专项检查情况", "T4.1"),
    ("研究中国医师节表彰和下半年党建工作督查安排", "T5.1"),
    ("研究职工代表大会提案办理情况和人才引进事项", "T6.3"),
    ("研究发展对象政治审查和预备党员接收工作", "T3.2"),
    ("研究国庆期间医疗保障和安全稳定工作", "T1.1.2"),
    ("研究党员示范岗和党员先锋队评选结果", "T5.1"),
    ("研究下半年意识形态工作和网络舆情管理", "T6.1"),
    ("研究部署学习宣传贯彻党的二十届四中全会精神", "T2.2"),
    ("研究2026年度预算编制和大型设备购置论证事项", "T1.1.2"),
    ("研究党支部书记抓党建述职评议考核方案", "T3.1.2"),
    ("审议医院党委2025年工作总结，研究2026年工作思路", "T1.1.2"),
]

CENTRE_GROUP_TOPICS = [
    ("学习习近平总书记在二十届中央纪委四次全会上的重要讲话精神", "T2.1"),
    ("学习全国卫生健康工作会议精神，研讨医院高质量发展路径", "T2.1"),
    ("学习全国两会精神，研讨深化以公益性为导向的公立医院改革", "T1.3"),
    ("专题学习中央八项规定及其实施细则精神", "T2.3"),
    ("学习习近平总书记关于加强党的作风建设的重要论述", "T2.3"),
    ("学习习近平总书记关于卫生健康工作的重要论述", "T2.1"),
    ("学习《中国共产党党员教育管理工作条例》，研讨党员队伍建设", "T3.2"),
    ("学习习近平总书记关于意识形态工作的重要论述", "T6.1"),
    ("学习纪念中国人民抗日战争暨世界反法西斯战争胜利80周年大会重要讲话精神", "T2.1"),
    ("学习习近平总书记关于人才工作的重要论述，研讨医院人才队伍建设", "T2.1"),
    ("专题学习党的二十届四中全会精神", "T2.2"),
    ("学习《中共中央关于制定国民经济和社会发展第十五个五年规划的建议》，研讨医院“十五五”规划", "T2.2"),
]

SEMINARS = [  # 专题研讨 at organisation level
    (dt.date(2025, 4, 24), "深入贯彻中央八项规定精神学习教育读书班专题研讨", "T2.3"),
    (dt.date(2025, 7, 17), "改善就医感受提升患者体验专题研讨", "T5.2"),
    (dt.date(2025, 11, 20), "学习贯彻党的二十届四中全会精神专题研讨", "T2.2"),
]

TRAININGS = [  # (date, topic, expected, task, place)
    (dt.date(2025, 4, 16), "2025年入党积极分子培训班", 28, "T3.2", HALL),
    (dt.date(2025, 6, 12), "党支部书记和党务干部能力提升培训班", 24, "T3.1.2", HALL),
    (dt.date(2025, 9, 18), "2025年发展对象培训班", 12, "T3.2", HALL),
    (dt.date(2025, 11, 13), "学习贯彻党的二十届四中全会精神党员集中轮训（第一期）", 110, "T2.2.2", HALL),
    (dt.date(2025, 12, 11), "学习贯彻党的二十届四中全会精神党员集中轮训（第二期）", 95, "T2.2.2", HALL),
]

VOLUNTEERING = [  # organisation-level: (date, topic, expected, task, place)
    (dt.date(2025, 3, 5), "学雷锋纪念日党员志愿者义诊", 30, "T5.3", "滨江市人民广场"),
    (dt.date(2025, 4, 7), "世界卫生日健康科普进社区", 20, "T5.3", "滨江市城东街道新华社区"),
    (dt.date(2025, 5, 12), "国际护士节护理志愿服务", 25, "T5.3", "门诊大厅"),
    (dt.date(2025, 6, 6), "全国爱眼日义诊", 12, "T5.3", "滨江市人民广场"),
    (dt.date(2025, 8, 19), "中国医师节专家义诊", 35, "T5.3", "门诊大厅"),
    (dt.date(2025, 10, 2), "国庆假期党员志愿者门诊导诊服务", 24, "T5.3", "门诊大厅"),
    (dt.date(2025, 10, 29), "重阳节走访敬老院健康义诊", 15, "T5.3", "滨江市社会福利院"),
]

BRANCH_VOLUNTEERING = [  # (date, branch, topic, task, place)
    (dt.date(2025, 5, 20), "neike1", "“520”心脑血管健康义诊", "T5.3", "滨江市人民广场"),
    (dt.date(2025, 9, 29), "neike1", "世界心脏日胸痛急救知识宣传", "T5.3", "门诊大厅"),
    (dt.date(2025, 10, 24), "neike2", "世界卒中日卒中识别和急救科普", "T5.3", "滨江市江南街道社区卫生服务中心"),
    (dt.date(2025, 4, 25), "waike", "党员医疗队赴青石镇卫生院手术带教", "T5.3", "滨江市青石镇卫生院"),
    (dt.date(2025, 7, 25), "yiji", "夏季健康体检进企业", "T5.3", "滨江经济开发区"),
    (dt.date(2025, 9, 25), "yaoxue", "全国安全用药月合理用药科普", "T5.3", "门诊大厅"),
    (dt.date(2025, 8, 8), "huli", "“护佑健康”居家护理技能进社区", "T5.3", "滨江市城东街道新华社区"),
    (dt.date(2025, 12, 1), "huli", "世界艾滋病日防艾宣传", "T5.3", "门诊大厅"),
    (dt.date(2025, 3, 12), "jiguan", "植树节义务植树", "T6.3", "滨江市滨江公园"),
    (dt.date(2025, 6, 25), "lituixiu", "老专家义诊咨询", "T5.3", "老干部活动中心"),
]

OTHER_ORG = [  # custom types registered in activity_types: (date, type, topic, expected, task, place)
    (dt.date(2025, 4, 10), "警示教育", "全院警示教育大会：通报医药领域违纪违法典型案例", 210, "T4.3", HALL),
    (dt.date(2025, 9, 11), "警示教育", "中层以上干部观看医疗卫生领域警示教育专题片", 96, "T4.3", HALL),
    (dt.date(2025, 6, 30), "表彰大会", "庆祝中国共产党成立104周年暨七一表彰大会", 200, "T6.2", HALL),
]


# -- building the log ------------------------------------------------------------------------

Row = Activity
"""One line of the log: the model's own activity type, so the generator cannot drift from it."""


TYPE_ORDER = ["党委会", "理论学习中心组学习", "专题研讨", "支部委员会", "支部党员大会", "党小组会",
              "党课", "主题党日", "谈心谈话", "组织生活会", "民主评议党员", "党员教育培训",
              "志愿服务", "警示教育", "表彰大会"]


class Generator:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.rng = random.Random(YEAR)
        self.branches = data["branches"]
        self.order = {b["id"]: i for i, b in enumerate(self.branches)}
        self.rows: list[Row] = []
        # stage dates in this year, by branch: when people joined decides who attends
        self.development = list(data.get("development", ()))
        self.signed = _date(data["signature"]["date"])

    # attendance ---------------------------------------------------------------------------
    def present(self, expected: int, retired: bool = False) -> int:
        """Most meetings have one or two absent (on duty, on leave); 85–100 per cent attend."""
        if expected <= 6:  # a committee or a small branch meets when all can come
            return expected
        worst = max(1, int(expected * (0.15 if retired else 0.10)))
        absent = self.rng.choice([0, 0, 1, 1, 1, 2, 2, 3])
        return expected - min(absent, worst)

    def total(self, branch: dict[str, Any], day: dt.date) -> int:
        """Members (full and probationary) on ``day``: the year-end count less later admissions."""
        if "roster" in branch:
            n = len(branch["roster"])
        else:
            n = branch["members"]["full"] + branch["members"]["probationary"]
        later = sum(1 for p in self.development if p["branch"] == branch["id"]
                    and _date(p.get("probationary")) and _date(p["probationary"]).year == YEAR
                    and _date(p["probationary"]) > day)
        return n - later

    def add(self, row: Row) -> None:
        self.rows.append(dataclasses.replace(row, date=self.before_signing(row.date)))

    def before_signing(self, day: dt.date) -> dt.date:
        """Meetings fall before the summary is signed: a later one moves back by whole weeks."""
        while day >= self.signed:
            day = workday_from(day - dt.timedelta(days=7))
        return day

    # branch life ---------------------------------------------------------------------------
    def branch_year(self, b: dict[str, Any]) -> None:
        bid = b["id"]
        idx = self.order[bid]
        retired = b["kind"] == "离退休"
        # committee members are written as names or as {name, role}
        committee = [c["name"] if isinstance(c, dict) else c for c in b.get("committee") or []]
        secretary = b["secretary"]
        place = PLACES[bid]
        stage_days = self.stage_days(bid)

        for month in range(1, 13):
            # 支部委员会: early in the month, or on the day it decided on a new activist/candidate
            if committee:
                variants = COMMITTEE_TOPICS[month]
                topic, task = variants[(idx + month) % len(variants)]
                day = nth_workday(month, 2 + idx % 4)
                for stage, when, person in stage_days:
                    if stage in ("activist", "candidate") and when.month == month:
                        label = "入党积极分子" if stage == "activist" else "发展对象"
                        topic, task, day = f"研究确定{person}同志为{label}，{topic}", "T3.2", when
                expected = len(committee)
                self.add(Row(day, "支部委员会", topic.format(focus=FOCUS[bid]), bid,
                             expected=expected, present=self.present(expected),
                             host=secretary, place=place, task=task))
            # 党小组会: each group in the second or third week
            for gi, group in enumerate(b.get("groups") or []):
                variants = GROUP_TOPICS[month]
                topic, task = variants[(idx + gi + month) % len(variants)]
                day = workday_from(dt.date(YEAR, month, 8 + 2 * gi + idx % 3))
                size = group.get("size") or 10
                self.add(Row(day, "党小组会", topic, bid, group=group["name"], expected=size,
                             present=self.present(size), host=group["leader"], task=task))
            # 主题党日: the hospital's fixed day, the third Thursday of each month
            if retired and month in RETIRED_THEME_DAYS:
                topic, task, where = RETIRED_THEME_DAYS[month]
            else:
                variants = THEME_DAYS[month]
                topic, task, where = variants[(idx + month) % len(variants)]
            day = weekday_in_month(month, 3, 3)
            expected = self.total(b, day)
            host = secretary if (idx + month) % 3 else (committee[1] if len(committee) > 1 else secretary)
            self.add(Row(day, "主题党日", topic, bid, expected=expected,
                         present=self.present(expected, retired), host=host,
                         place=where or (PARTY_ROOM if not retired else place), task=task))

        # 支部党员大会: once a quarter, plus the meetings that admit or convert members
        for quarter, (month, topic, task) in GENERAL_MEETINGS.items():
            day = weekday_in_month(month, 1 + idx % 3, 3 + (idx % 2))
            for stage, when, person in stage_days:
                if stage in ("probationary", "full") and (when.month - 1) // 3 == quarter - 1:
                    what = (f"讨论接收{person}同志为中共预备党员" if stage == "probationary"
                            else f"讨论{person}同志预备党员转为正式党员")
                    self.add(Row(when, "支部党员大会", what, bid, expected=self.total(b, when),
                                 present=self.present(self.total(b, when), retired),
                                 host=secretary, place=place, task="T3.2"))
            self.add(Row(day, "支部党员大会", topic, bid, expected=self.total(b, day),
                         present=self.present(self.total(b, day), retired),
                         host=secretary, place=place, task=task))
        if b.get("committee_elected") and _date(b["committee_elected"]).year == YEAR:
            when = _date(b["committee_elected"])
            self.add(Row(when, "支部党员大会", "召开换届选举大会，选举产生新一届支部委员会", bid,
                         expected=self.total(b, when), present=self.total(b, when) - 1,
                         host=secretary, place=place, task="T3.1.3"))

        # 党课: the secretary's own around 1 July, and a lecture on the plenum in November
        day = weekday_in_month(6 if idx % 2 else 7, 2 + idx % 3, 2 + idx % 2)
        self.add(Row(day, "党课", f"书记讲党课：{SECRETARY_LECTURES[bid]}", bid,
                     expected=self.total(b, day), present=self.present(self.total(b, day), retired),
                     host=committee[1] if len(committee) > 1 else secretary, speaker=secretary,
                     place=place, task="T3.1.1"))
        day = weekday_in_month(11, 1 + idx % 4, 4)
        speaker = committee[2] if len(committee) > 2 else secretary
        self.add(Row(day, "党课", f"学习贯彻党的二十届四中全会精神专题党课：{PLENUM_LECTURES[bid]}", bid,
                     expected=self.total(b, day), present=self.present(self.total(b, day), retired),
                     host=secretary, speaker=speaker, place=place, task="T2.2.1"))

        # 谈心谈话 before each organisational life meeting; 组织生活会 in January (for 2024)
        # and in July (the study campaign's special meeting); 民主评议党员 with the January one.
        jan = dt.date(YEAR, 1, 13) + dt.timedelta(days=idx)
        jan = workday_from(jan)
        talks = workday_from(jan - dt.timedelta(days=7))
        self.add(Row(talks, "谈心谈话", "组织生活会前开展谈心谈话，征求意见建议", bid,
                     expected=self.total(b, talks), present=self.total(b, talks), host=secretary,
                     task="T3.1.1"))
        self.add(Row(jan, "组织生活会", "召开2024年度组织生活会，开展批评和自我批评", bid,
                     expected=self.total(b, jan), present=self.present(self.total(b, jan), retired),
                     host=secretary, place=place, task="T3.1.1"))
        self.add(Row(jan, "民主评议党员", "开展2024年度民主评议党员", bid,
                     expected=self.total(b, jan), present=self.present(self.total(b, jan), retired),
                     host=secretary, place=place, task="T3.1.1"))
        jul = workday_from(dt.date(YEAR, 7, 21) + dt.timedelta(days=idx))
        talks = workday_from(jul - dt.timedelta(days=10))
        self.add(Row(talks, "谈心谈话", "学习教育专题组织生活会前支委之间、支委与党员谈心谈话", bid,
                     expected=self.total(b, talks), present=self.total(b, talks), host=secretary,
                     task="T2.3"))
        self.add(Row(jul, "组织生活会", "召开深入贯彻中央八项规定精神学习教育专题组织生活会", bid,
                     expected=self.total(b, jul), present=self.present(self.total(b, jul), retired),
                     host=secretary, place=place, task="T2.3"))

    def stage_days(self, branch_id: str) -> list[tuple[str, dt.date, str]]:
        out = []
        for person in self.development:
            if person["branch"] != branch_id:
                continue
            for stage in ("activist", "candidate", "probationary", "full"):
                when = _date(person.get(stage))
                if when is not None and when.year == YEAR:
                    out.append((stage, when, person["name"]))
        return out

    # organisation level ------------------------------------------------------------------
    def organisation_year(self) -> None:
        for i, (topic, task) in enumerate(PARTY_COMMITTEE_TOPICS):
            month = i // 2 + 1
            day = nth_workday(month, 3) if i % 2 == 0 else weekday_in_month(month, 1, 3)
            self.add(Row(day, "党委会", topic, expected=COMMITTEE_SIZE,
                         present=self.present(COMMITTEE_SIZE), host=ORG_SECRETARY,
                         place=BOARD_ROOM, task=task))
        for month, (topic, task) in enumerate(CENTRE_GROUP_TOPICS, start=1):
            day = weekday_in_month(month, 2, -1)
            self.add(Row(day, "理论学习中心组学习", topic, expected=CENTRE_GROUP_SIZE,
                         present=self.present(CENTRE_GROUP_SIZE), host=ORG_SECRETARY,
                         place=BOARD_ROOM, task=task))
        for day, topic, task in SEMINARS:
            self.add(Row(day, "专题研讨", topic, expected=CENTRE_GROUP_SIZE,
                         present=self.present(CENTRE_GROUP_SIZE), host=ORG_SECRETARY,
                         place=BOARD_ROOM, task=task))
        for day, topic, expected, task, place in TRAININGS:
            self.add(Row(day, "党员教育培训", topic, expected=expected,
                         present=self.present(expected), host=ORGANISATION_HEAD, place=place, task=task))
        for day, topic, expected, task, place in VOLUNTEERING:
            self.add(Row(day, "志愿服务", topic, expected=expected,
                         present=self.present(expected), host=PUBLICITY_HEAD, place=place, task=task))
        for day, kind, topic, expected, task, place in OTHER_ORG:
            host = DISCIPLINE_SECRETARY if kind == "警示教育" else ORG_SECRETARY
            speaker = PRESIDENT if kind == "表彰大会" else None
            self.add(Row(day, kind, topic, expected=expected, present=self.present(expected),
                         host=host, speaker=speaker, place=place, task=task))
        # the Party secretary's lecture for the study campaign, to the branch he is linked to
        day = dt.date(2025, 4, 22)
        neike1 = self.branches[0]
        self.add(Row(day, "党课", "深入贯彻中央八项规定精神，锤炼忠诚干净担当的政治品格", neike1["id"],
                     expected=self.total(neike1, day), present=self.present(self.total(neike1, day)),
                     host=neike1["secretary"], speaker=ORG_SECRETARY, place=HALL, task="T2.3"))
        for day, bid, topic, task, place in BRANCH_VOLUNTEERING:
            b = self.branches[self.order[bid]]
            expected = {"lituixiu": 8, "yaoxue": 4}.get(bid, 10)
            self.add(Row(day, "志愿服务", topic, bid, expected=expected,
                         present=self.present(expected), host=b["secretary"], place=place, task=task))

    def run(self) -> list[Row]:
        self.organisation_year()
        for b in self.branches:
            self.branch_year(b)
        for row in self.rows:
            assert is_workday(row.date) or row.type == "志愿服务", row
            assert row.present is None or row.present <= row.expected, row
        return sorted(self.rows, key=lambda r: (r.date, -1 if r.branch is None else self.order[r.branch],
                                                TYPE_ORDER.index(r.type), r.group or "", r.topic))


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


# -- writing ---------------------------------------------------------------------------------

_PLAIN_UNSAFE = re.compile(r"[,\[\]{}#&*!|>'\"%@`]|: |:$|^[-?:\s]|\s$")


def scalar(value: Any) -> str:
    """A YAML flow scalar: plain when that reads back as the same string, else double-quoted."""
    if isinstance(value, (int, dt.date)):
        return str(value)
    text = str(value)
    if _PLAIN_UNSAFE.search(text) or yaml.safe_load(f"k: {text}") != {"k": text}:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


FIELDS = ("date", "type", "branch", "group", "topic", "expected", "present", "host", "speaker",
          "place", "task")


def render(rows: list[Row]) -> list[str]:
    lines = [BEGIN]
    month = 0
    for row in rows:
        if row.date.month != month:
            month = row.date.month
            lines.append(f"  # -------- {month}月 --------")
        parts = [f"{name}: {scalar(getattr(row, name))}" for name in FIELDS
                 if getattr(row, name) is not None]
        lines.append("  - {" + ", ".join(parts) + "}")
    lines.append(END)
    return lines


def rewrite(text: str) -> tuple[str, list[Row]]:
    data = yaml.safe_load(text)
    rows = Generator(data).run()
    lines = text.split("\n")
    try:
        start, end = lines.index(BEGIN), lines.index(END)
    except ValueError:
        sys.exit(f"{SAMPLE}: the marker lines of the activity log are missing")
    new = "\n".join([*lines[:start], *render(rows), *lines[end + 1:]])
    _verify(new, rows)
    return new, rows


def _verify(text: str, rows: list[Row]) -> None:
    """The written YAML must read back as exactly the rows we generated."""
    read = yaml.safe_load(text)["activities"]
    assert len(read) == len(rows)
    for got, row in zip(read, rows, strict=True):
        want = {name: getattr(row, name) for name in FIELDS if getattr(row, name) is not None}
        assert got == want, (got, want)


def _summary(rows: list[Row]) -> Iterator[str]:
    by_type: dict[str, int] = {}
    for row in rows:
        by_type[row.type] = by_type.get(row.type, 0) + 1
    yield f"{len(rows)} activities"
    for kind in TYPE_ORDER:
        if kind in by_type:
            yield f"  {kind}: {by_type[kind]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only check that the file is up to date")
    parser.add_argument("--file", type=Path, default=SAMPLE, help="the sample to rewrite")
    args = parser.parse_args(argv)
    text = args.file.read_text(encoding="utf-8")
    new, rows = rewrite(text)
    if args.check:
        if new != text:
            print(f"{args.file} is out of date: run python tools/make_sample.py", file=sys.stderr)
            return 1
        print(f"{args.file} is up to date ({len(rows)} activities)")
        return 0
    args.file.write_text(new, encoding="utf-8")
    print("\n".join(_summary(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
