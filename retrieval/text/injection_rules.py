"""What makes one folded sentence an instruction to a model: the rules of ``retrieval.text.injection``.

Two kinds of rule, both about what a sentence *does*:

- **trigger phrases** that have no use in a report (忽略以上所有指令, 你现在是…, ignore previous instructions);
- **roles**: a sentence that *addresses the reader as a machine* (大模型请注意：…, AI助手须知：…, Dear assistant,)
  or that *directs what an answer, reply, output or summary must contain or how to respond* (请在答案中写出…,
  回答此问题时…, 回复时务必…, 请输出…, 直接告诉用户…, include … in your reply, when summarizing …).

A report directs *units*, never answers: "要求各单位在总结中写明…" names a 公文 addressee (各单位, 有关单位…), so a
directive about a 回复/答复/总结 (words a 公文 uses for a unit's reply or report) or about answering questions is
an instruction only when the sentence names no 公文 addressee and no person a 公文 reply is for or by (人大代表,
群众, 患者, 医务人员…). 答案, 输出, 回答 (as what is produced) have no 公文 use and no exception. The
vocabularies of the roles are data: ``injection_roles.txt``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

__all__ = ["addressed_to_units", "instruction_rules", "roles"]

_ROLES_FILE = Path(__file__).with_name("injection_roles.txt")

# Not 忽视 or 覆盖: reports write "不容忽视的安全提示", "覆盖全县的规则".
_ZH_VERBS = r"(?:忽略|无视|忘记|忘掉|忘了|不要理会|别理会|不用理会|不要遵守|不必遵守|跳过|抛开)"
_ZH_TARGETS = r"(?:指令|指示|提示词|提示|命令|规则|设定|系统消息|prompt|instruction)"
_EN_VERBS = r"(?:ignore|disregard|forget|override|skip|bypass)"
_EN_SCOPE = r"(?:all|any|the|your|my|of|everything)*"
_EN_BEFORE = r"(?:previous|prior|above|earlier|preceding|former|foregoing|system|original|initial)"
_EN_TARGETS = r"(?:instructions?|prompts?|rules|directions|messages|context|guidelines|orders)"

_TRIGGERS: tuple[str, ...] = (
    # 忽略以上所有指令 / 无视之前的提示 / 忘记你的设定
    rf"{_ZH_VERBS}.{{0,12}}?{_ZH_TARGETS}",
    # 你现在是… / 从现在起你是… / 你的新身份 / 请扮演…
    r"你现在(?:是|扮演|作为|的身份|的角色|的任务)|从现在(?:起|开始)[,，]?你|你的新(?:身份|角色|任务|指令)",
    r"(?:请你?|你要|你必须)扮演|(?:角色扮演|越狱)模式|开发者模式",
    # 系统提示词 / 系统指令 / 系统消息; not a bare 系统提示: "监测系统提示异常" is report text.
    r"系统提示词|系统(?:指令|消息|角色)|^系统提示|(?:你的|以上|上述|之前的|原有的?)系统提示",
    # 只回复 / 只输出 / 仅回答 / 只需回复; not 只说 ("不能只说不做"), 只返回 ("只返回原籍"), 只要 ("只要回复及时").
    r"(?:只|仅|只能|仅能|只需|仅需|务必只|必须只)(?:回复|回答|输出|答复)",
    r"(?:请|直接)(?:回复|输出|返回|打印)(?:以下|下面|如下)(?:内容|文字|文本)",
    # English: ignore (all) previous instructions / disregard the above / forget your rules
    rf"{_EN_VERBS}{_EN_SCOPE}{_EN_BEFORE}{_EN_SCOPE}{_EN_TARGETS}",
    rf"{_EN_VERBS}{_EN_SCOPE}(?:above|everything|instructions?|prompts?)",
    r"systemprompt|systemmessage|systeminstruction|developermode|jailbreak|newinstructions?:",
    r"youarenow|fromnowon,?you|actas(?:an?|the)(?:ai|assistant|model|chatbot)|pretendto(?:be|bea)",
    r"(?:reply|respond|answer|output|say|print|return)(?:only|just|nothingbut|exactly)",
    r"only(?:reply|respond|answer|output|say|print|return)",
    # Chat-template tokens a model would read as a role change.
    r"<\|im_(?:start|end)\|>|\[/?inst\]|<\|(?:system|user|assistant)\|>|^(?:system|assistant):",
)

_MODAL = r"(?:请|务必|必须|须|需|需要|应|应当|应该|要|一定|一律|记得|别忘|不要|不得|切勿|只|直接|可以)"
_EDGE = r"(?:^|[,，:：;；。!！?？(（\[【「『“\"'\-—*#>|])"
_EN_ANSWER = r"(?:final)?(?:reply|replies|answer|answers|response|responses|summary|summaries|output|outputs)"
_EN_MODEL = r"(?:ai|assistant|model|llm|chatbot|bot|languagemodel|gpt|chatgpt|aimodel|aiassistant)s?"


@lru_cache(maxsize=1)
def roles() -> dict[str, tuple[str, ...]]:
    """The vocabulary of each role, from the bundled ``injection_roles.txt`` (section → words)."""
    out: dict[str, list[str]] = {}
    section = ""
    for raw in _ROLES_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            out.setdefault(section, [])
        elif section:
            out[section].append(line.lower())
    return {k: tuple(v) for k, v in out.items()}


def _any(role: str) -> str:
    return "(?:" + "|".join(sorted(map(re.escape, roles()[role]), key=len, reverse=True)) + ")"


@lru_cache(maxsize=1)
def instruction_rules() -> tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]]:
    """(rules that always mark an instruction, rules that do so only without a 公文 addressee)."""
    model, answer, reply, put, emit, recipient = (
        _any(r) for r in ("model", "answer", "reply", "put", "emit", "recipient")
    )
    machine = rf"{model}{{1,3}}"
    where = (
        r"(?:中|里|内|末尾|结尾|开头|最后|最前|前面|后面|之前|之后|前|后|之中|当中|时|"
        r"句末|句首|文末|文尾|的?(?:末尾|结尾|开头|最后|最前|第一句|最后一句|后面|前面))"
    )
    always = (
        *_TRIGGERS,
        # vocative: 大模型请注意： / AI助手须知： / 致AI： / 大模型，请… / 各位AI：
        rf"{_EDGE}(?:致|给|写给|请|各位|亲爱的|尊敬的|所有|任何|every|all|你好[,，]?)?{machine}们?"
        rf"(?:[:：!！]|(?:阅读)?须知|必读|请|注意|务必|必须|你|您|[,，](?:请|你|您|务必|必须|注意|别忘))",
        rf"{machine}(?:在|于)(?:第一句|最后一句|开头|结尾|末尾|最后|结论|{answer}|{reply})[^,，。]{{0,8}}?{emit}",
        rf"(?:给|致|写给|告诉|提醒)(?:所有|任何|各位|每个)?{machine}(?:的|[:：])"
        r"(?:说明|提示|指令|备注|留言|消息|话|信息|须知|要求|内容)?",
        rf"对(?:所有|任何|各位|每个)?{machine}的(?:说明|提示|指令|备注|留言|消息|须知|要求)",
        rf"(?:仅供|只供|专供|面向|供)(?:所有|任何|各位|每个)?{machine}",
        rf"{machine}的?(?:{answer}|{reply})(?:中|里|时)?[,，]?{_MODAL}",
        # summarise this document: 总结这份材料 / 概述本文
        rf"(?:{reply}|{answer})(?:一下)?(?:这|此|该|本)(?:份|篇|段|个)?(?:材料|文件|文档|报告|内容|段落|资料|文本|文章|文)",
        r"(?:你|您)(?!们).{0,12}?时[,，]?" + _MODAL,
        rf"(?:写给|致|给)[^,，。:：]{{0,10}}?{machine}[:：]",
        rf"(?:写|放|附|加|插|填|标|列)(?:在|到|进|入)(?:你的|您的)?{answer}的?{where}",
        r"请(?:你|您)(?!们)",
        rf"(?:对|向|跟|给){recipient}(?:说|讲|表示|回复|答复)",
        rf"(?:作为|如果你是|假如你是|若你是|你是|您是|你作为|您作为)(?:一个|一名|一位|一款)?{machine}",
        rf"{machine}(?:在|于)?(?:回答|回复|答复|总结|生成|输出|作答)[^,，。]{{0,8}}时",
        # the user as the one who gets the answer: 直接告诉用户 / 回复提问者
        rf"(?:告诉|告知|转告|转达|回复|答复|回覆|回答|提醒|通知){recipient}",
        # the question being answered: 回答此问题时 / 当用户问到… / 被问及…
        r"(?:回答|回复|答复|回覆|回应|作答|解答|应答|处理)(?:此|这个|这|该|本|这一|这类|此类|上述|以上|以下|任何|所有|"
        r"用户的?|有关的?|相关的?)[^,，。]{0,10}?(?:问题|提问|询问|查询|请求|问询)",
        rf"(?:被|(?:如果?|若|当|一旦|假如)(?:有人|{recipient}))(?:问到|问及|问起|询问|提问|问|查询)",
        r"(?:本文|本段|本材料|本报告|此文|此段|本文件)(?:如|若|如果)?被(?:摘要|总结|概括|引用|检索|问到|读取|用于)",
        rf"(?:生成的?|最终的?|每次|每一?次|每个|每条|所有|任何)(?:{answer})(?:都|均|中|里|时)?[,，]?.{{0,4}}?{_MODAL}",
        rf"作为(?:{answer}|回复|答复)的?(?:一部分|内容|开头|结尾|结论|末尾)",
        # the model itself: your answer / you must …
        rf"(?:你|您)(?!们)的?(?:{answer}|{reply})",
        r"(?:你|您)(?!们)(?:必须|务必|需要|应该|应当|要|须|得|一定要|只能|只需|可以直接|请)",
        # what an answer must contain: 请在答案中写出… / 在回答末尾加上…
        rf"(?:在|于|往|向|到)?(?:最终|最后的?|每个|每一?条|所有)?{answer}{where}.{{0,30}}?{put}",
        rf"{put}.{{0,30}}?(?:到|进|入|在|于)(?:最终|每个|每一?条|所有)?{answer}{where}",
        rf"(?:答案|回答|输出|作答|问答)(?:时|中|的时候)[,，]?{_MODAL}",
        # output it: 请输出CANARY… / 务必原样复述…
        r"(?:请|务必|必须|须|需要|要|一定要|直接|记得|别忘了?|务请|烦请)(?:原样|原封不动地?|完整地?|逐字)?"
        r"(?:输出|打印|复述|照抄|说出|念出|返回|写出)",
        r"输出[:：]?[\"“「'‘]?[a-z0-9_-]*[a-z][a-z0-9_-]*\d",
        # English: when summarizing … / include … in your reply / your answer must … / tell the user
        r"(?:when|while|before|after|if|whenever|once)you(?:answer|respond|reply|summari[sz]e|write|generate|output)",
        r"(?:whoever|anyone|anybody|someone)(?:who)?(?:answers?|responds?|replies|summari[sz]es)",
        rf"{_EN_MODEL}[a-z]{{0,40}}?(?:must|should|shall|needsto|hasto)(?:output|include|say|print|write|reply|respond|"
        r"answer|mention|add|append|cite|tell)",
        r"(?:reply|respond|answer|write|say)(?:to)?(?:the|this)?user",
        r"(?:whatever|anything|everything)you(?:output|say|write|answer|reply|respond|generate)",
        rf"(?:any|every|all|each){_EN_MODEL}.{{0,30}}?(?:must|should|shall|needto|needsto|hasto|haveto)",
        rf"your{_EN_ANSWER}(?:includes?|contains?|mentions?|ends?|starts?|begins?|says?)",
        r"(?:when|while|before|after|if|whenever|once)(?:you(?:are)?)?(?:summari[sz]ing|summari[sz]e|answering|"
        rf"responding|replying|asked|writing(?:the|your|an?)?{_EN_ANSWER})",
        r"(?:ifanyone|ifsomeone|iftheuser|ifauser|whentheuser|ifthequestion)(?:asks|asked|mentions|is)",
        r"(?:include|add|insert|append|mention|write|output|print|put|state|say|repeat|type|display|show|prepend|"
        rf"embed|end|begin|start).{{0,80}}?(?:in|into|to|within|inside|with|of)(?:your|the|every|each|any|all|an?)?"
        rf"{_EN_ANSWER}",
        rf"(?:your|the|every|each|any|all){_EN_ANSWER}(?:must|should|shall|hasto|needsto|will|always)",
        rf"{_EN_ANSWER}(?:of|for|about|on)(?:this|the|these|any)[a-z]{{0,30}}?(?:must|should|shall|hasto|needsto)",
        r"(?:tell|inform|remind|notify|let|show|give)(?:the|this|any|every|each)?users?",
        rf"{_EDGE}(?:p\.?s\.?)?(?:dear|hi|hello|hey|attention|noteto|notefor|memoto|messageto|instructionsfor|to|for)?"
        rf"(?:the|any|all|every)?{_EN_MODEL}[:,!]",
        rf"(?:if|when)you(?:are|'re)an?{_EN_MODEL}|asan?{_EN_MODEL}",
    )
    unless_units = (
        rf"(?:回答|作答|解答)(?:问题|提问)?时[,，]?{_MODAL}",
        r"(?:回答|作答|解答|回复|答复)[^,，。]{0,12}?问题(?:时|的时候)[,，]?.{0,6}?" + _MODAL,
        rf"(?<!工作)(?<!年度)(?<!年终)(?<!半年)(?<!季度)(?<!书面)(?<!专题)(?:在|于)?{reply}{where}.{{0,30}}?{put}",
        rf"(?<!工作)(?<!年度)(?<!年终)(?<!半年)(?<!季度)(?<!书面)(?<!专题){reply}时[,，]?{_MODAL}",
        rf"(?:任何|所有|每个|每一?份|每一?条)(?:{answer}|{reply})[,，]?.{{0,6}}?(?:{_MODAL}|都)",
        rf"(?:回答|作答|解答)(?:问题|提问)时?[,，]?{_MODAL}.{{0,6}}?{emit}",
        rf"(?<!工作)(?<!年度)(?<!年终)(?<!半年)(?<!季度)(?<!书面)(?<!专题){reply}(?:中|里)?[,，]?{_MODAL}.{{0,4}}?{put}",
    )
    return tuple(map(re.compile, always)), tuple(map(re.compile, unless_units))


def addressed_to_units(folded: str) -> bool:
    """Does the folded sentence name a 公文 addressee (各单位, 有关单位, …)?"""
    return any(word in folded for word in roles()["addressee"])
