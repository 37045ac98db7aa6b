"""Clause checks: what the law says about the values of the clauses added beside the reference's, each with its
citation.

- ``cure-days`` (warning): a cure period under :data:`CURE_DAYS_THRESHOLD` days before a party may terminate for
  breach (8.1). The threshold is contractgen's, not the law's: the statute's own ground asks for a 合理期限 after a
  demand, which depends on the breach.
- ``handover-days`` (warning): 乙方 keeping the data more than :data:`HANDOVER_DAYS_THRESHOLD` days after the end
  (8.4); the statute says the entrusted party returns or deletes the personal information and keeps none, with no
  period of its own.
- ``any-time-compensation`` (error): 8.2's agreed compensation printed as an amount that is not a whole 分 —
  the rate check of the penalties (``cross.rate-fen``).
- ``sensitive-information`` (warning): kinds of personal information that name a category 第二十八条 lists.
- ``court-connection`` (warning): a court chosen by a connection this contract does not fix (no 签订地点, no
  agreed 履行地点, no 标的物).
- ``arbitration-commission`` (error): more than one commission named.
- ``service-email`` (warning): both parties consent to electronic service, but one gives no e-mail.

Each message says what its rule says and what the spec wrote; none calls a value that passes it safe. Choosing
court and arbitration at once is refused by the schema (its x-message cites the rule). This module must not decide
what the contract says (that is the templates'), and never gives advice beyond what the cited rule says.
"""

from __future__ import annotations

from collections.abc import Iterator

from customer_service_penalties import rate_fen

from contractgen.diagnostics import Diagnostic
from contractgen.validation.checks import Check, CheckContext

__all__ = ["CHECKS", "CITATIONS", "CURE_DAYS_THRESHOLD", "HANDOVER_DAYS_THRESHOLD", "SENSITIVE_WORDS"]

#: Below this many days a cure period is pointed out (contractgen's threshold, see the module docstring).
CURE_DAYS_THRESHOLD = 7
#: Above this many days the handover and deletion period is pointed out (contractgen's threshold).
HANDOVER_DAYS_THRESHOLD = 30

#: Words in ``kinds`` that name a category of 《个人信息保护法》第二十八条第一款 (特定身份 is left out: the
#: article gives no example of it, and a word cannot tell).
SENSITIVE_WORDS = {
    "生物识别": ("生物识别", "指纹", "人脸", "面部", "声纹", "虹膜", "掌纹"),
    "宗教信仰": ("宗教", "信仰"),
    "医疗健康": ("医疗", "健康", "病历", "病史", "诊疗", "体检"),
    "金融账户": ("金融账户", "银行卡", "银行账户", "银行账号", "信用卡", "支付账户"),
    "行踪轨迹": ("行踪", "轨迹", "定位", "位置信息"),
    "不满十四周岁未成年人的个人信息": ("未成年", "儿童", "十四周岁"),
}

CITATIONS = {
    "cure-days": "《民法典》第五百六十二条第二款、第五百六十三条第一款第三项",
    "handover-days": "《个人信息保护法》第二十一条第二款",
    "sensitive-information": "《个人信息保护法》第二十八条、第二十九条",
    "court-connection": "《民事诉讼法》第三十五条；《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第十八条、"
    "第三十条",
    "arbitration-commission": "《仲裁法》第十六条、第十八条；"
    "《最高人民法院关于适用〈中华人民共和国仲裁法〉若干问题的解释》第五条",
    "service-email": "《民事诉讼法》第九十条",
}

_ROLES = {"party_a": "甲方", "party_b": "乙方"}
#: What 30 (第一款) of the civil-procedure interpretation says, which two of the connections' messages end with.
_UNDETERMINED = (
    "根据管辖协议，起诉时能够确定管辖法院的，从其约定；不能确定的，依照民事诉讼法的相关规定确定管辖"
    "（民事诉讼法解释第三十条第一款）"
)


def _warning(ctx: CheckContext, path: str, rule: str, message: str) -> Diagnostic:
    """A warning of ``rule`` (a key of :data:`CITATIONS`) at ``path``, with its rule id and citation."""
    return ctx.report(path, message, rule=f"legal.{rule}", severity="warning", citation=CITATIONS[rule])


def cure_days(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    days = ctx.integer(path)
    if days is None or days >= CURE_DAYS_THRESHOLD:
        return
    yield _warning(
        ctx,
        path,
        "cure-days",
        f"违约纠正期限为 {days} 日，少于 {CURE_DAYS_THRESHOLD} 日：第8.1条约定，一方违反主要义务，经书面催告后 "
        f"{days} 日内仍未纠正的，对方可以解除合同。当事人可以约定一方解除合同的事由；法律规定的解除以"
        "“当事人一方迟延履行主要债务，经催告后在合理期限内仍未履行”为条件。"
        f"{CURE_DAYS_THRESHOLD} 日是 contractgen 的提示界限，不是法定标准：期限是否足以纠正，取决于违约的情形，"
        f"{CURE_DAYS_THRESHOLD} 日以上的期限同样可能不够",
    )


def handover_days(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    days = ctx.integer(path)
    if days is None or days <= HANDOVER_DAYS_THRESHOLD:
        return
    yield _warning(
        ctx,
        path,
        "handover-days",
        f"数据移交和删除期限为 {days} 日，超过 {HANDOVER_DAYS_THRESHOLD} 日：本合同解除或者终止后，乙方在这 {days} "
        "日内仍持有甲方客户的个人信息。委托合同不生效、无效、被撤销或者终止的，受托人应当将个人信息返还个人信息"
        f"处理者或者予以删除，不得保留。{HANDOVER_DAYS_THRESHOLD} 日是 contractgen 的提示界限，不是法定标准",
    )


def any_time_compensation(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    root, _, name = path.rpartition(".")
    yield from rate_fen(ctx, root, (name,), "fee.total")


def sensitive_information(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    kinds = ctx.text(path)
    if kinds is None:
        return
    found = {word: category for category, words in SENSITIVE_WORDS.items() for word in words if word in kinds}
    if not found:
        return
    named = "、".join(f"“{word}”（{category}）" for word, category in found.items())
    yield _warning(
        ctx,
        path,
        "sensitive-information",
        f"个人信息的种类中写有{named}：敏感个人信息包括生物识别、宗教信仰、特定身份、医疗健康、金融账户、"
        "行踪轨迹等信息，以及不满十四周岁未成年人的个人信息；只有在具有特定的目的和充分的必要性，并采取严格保护"
        "措施的情形下，个人信息处理者方可处理敏感个人信息；处理敏感个人信息应当取得个人的单独同意。本合同第九条和"
        "附件五的告知没有为敏感个人信息作出专门约定",
    )


def court_connection(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    chosen = ctx.text(path)
    if chosen == "signing_place" and ctx.get("signing.place") is None:
        reason = f"约定由合同签订地人民法院管辖，但本合同没有写明签订地点（signing.place）：{_UNDETERMINED}"
    elif chosen == "performance_place":
        reason = (
            "约定由合同履行地人民法院管辖，但本合同没有约定履行地点：合同对履行地点没有约定或者约定不明确，"
            "争议标的为给付货币的，接收货币一方所在地为合同履行地；其他标的，履行义务一方所在地为合同履行地"
            "（民事诉讼法解释第十八条第二款），管辖法院随争议的标的而不同"
        )
    elif chosen == "subject_matter_place":
        reason = f"约定由标的物所在地人民法院管辖，但本合同的标的是服务，没有标的物：{_UNDETERMINED}"
    else:
        return
    yield _warning(ctx, path, "court-connection", reason)


def arbitration_commission(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    name = ctx.text(path)
    if name is None or name.count("仲裁委员会") < 2:
        return
    yield ctx.report(
        path,
        f"“{name}”写了两个以上仲裁委员会：仲裁协议应当写明选定的仲裁委员会；仲裁协议约定两个以上仲裁机构的，"
        "当事人可以协议选择其中的一个仲裁机构申请仲裁，不能就仲裁机构选择达成一致的，仲裁协议无效。只写一个仲裁委员会",
        rule="legal.arbitration-commission",
        citation=CITATIONS["arbitration-commission"],
    )


def service_email(ctx: CheckContext, path: str) -> Iterator[Diagnostic]:
    if ctx.get(path) is not True:
        return
    for party, role in _ROLES.items():
        written = ctx.data.get(party) if isinstance(ctx.data, dict) else None
        contact = written.get("contact") if isinstance(written, dict) else None
        if not isinstance(written, dict) or (isinstance(contact, dict) and "email" in contact):
            continue  # an e-mail is written (one the schema refused is reported there), or there is no party
        yield _warning(
            ctx,
            path,
            "service-email",
            f"约定双方同意电子送达，但{role}没有写电子邮箱（{party}.contact.email）：经受送达人同意，人民法院可以采用"
            f"能够确认其收悉的电子方式送达诉讼文书；合同没有{role}的电子邮箱，第10.2条对{role}不能约定电子送达",
        )


CHECKS: dict[str, Check] = {
    "cure-days": cure_days,
    "handover-days": handover_days,
    "any-time-compensation": any_time_compensation,
    "sensitive-information": sensitive_information,
    "court-connection": court_connection,
    "arbitration-commission": arbitration_commission,
    "service-email": service_email,
}
