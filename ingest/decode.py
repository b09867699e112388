"""Bytes → text for plain-text uploads: UTF-8, UTF-16, GB18030/GBK, Big5, with binary rejected.

Strict trial decodes come first because they never garble: a byte string that is valid UTF-8 is
almost certainly UTF-8. When several legacy encodings decode without error (GB18030 accepts most
byte soups), the candidates are ranked by how much of the result looks like ordinary Chinese
report text. charset-normalizer is only asked when no strict decode yields plausible text.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# The bytes a UTF-32/UTF-16/UTF-8 byte-order mark starts with; UTF-32 LE must be tested before UTF-16 LE.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Frequent characters of Chinese work reports, Simplified and Traditional forms. Text decoded with the
# wrong legacy codec is still "CJK", but rarely made of these.
COMMON_HANZI = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
    "而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性"
    "好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第"
    "向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管"
    "特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处"
    "队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单"
    "风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土"
    "许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省"
    "列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置"
    "派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严卫健医疗防控疫病服务监督检测预妇幼护药签约"
    "這們個來為國時會們實動說發對當過經關還現體點開學進後於從種麼樣與還應衛醫療務監督檢測預護藥簽約組織協調財"
    "縣區職責質農村鄉鎮社區幹部門戶聯繫辦項專課計劃總結報題劃執輔導網絡資訊療養護費補償險"
)
_COMMON = frozenset(COMMON_HANZI)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Characters an ordinary report is made of: ASCII, Latin-1 letters, general and CJK punctuation,
# CJK ideographs, full-width forms. Hangul, private-use and rare blocks are what mis-decodes produce.
_PLAIN = re.compile(
    r"[\t\n\r\x20-\x7e\xa0-\xff\u2000-\u206f\u2100-\u214f\u2190-\u21ff\u2200-\u22ff\u2460-\u24ff"
    r"\u2500-\u27bf\u3000-\u303f\u3200-\u33ff\u4e00-\u9fff\uff00-\uffef\ufeff]"
)
_LEGACY = ("gb18030", "big5", "utf-16-le", "utf-16-be")
_MIN_PLAIN = 0.97
# Share of valid bytes above which UTF-8 with a few invalid bytes is decoded with replacement characters.
MIN_VALID_UTF8 = 0.995
BINARY_REASON = "文件不是文本（看起来是二进制文件）"
UNKNOWN_ENCODING_REASON = "无法识别文件的文字编码（请另存为 UTF-8 后再上传）"


def decode_bytes(data: bytes) -> str:
    """Decode a text file's bytes; raise ``ValueError`` (reason in Chinese) for binary or unknown data."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                break
    if b"\x00" in data:
        return _decode_with_nuls(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        repaired, replaced = _utf8_with_replacement(data)
        if replaced:
            return _checked(repaired)
    else:
        if not _CONTROL.search(text):
            return text
        # Control characters in "UTF-8": a short UTF-16 text of ASCII-range bytes ("卫生" → b"kS\x1fu").
        return _best_decode(data, ("utf-16-le", "utf-16-be")) or _checked(text)
    best = _best_decode(data, _LEGACY)
    if best is not None:
        return _checked(best)
    return _fallback(data)


def replaced_bytes(data: bytes) -> int:
    """How many bytes ``decode_bytes`` replaces with U+FFFD (0 unless the text is UTF-8 with a few bad bytes)."""
    if b"\x00" in data or any(data.startswith(bom) for bom, _ in _BOMS):
        return 0
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return _utf8_with_replacement(data)[1]
    return 0


def _utf8_with_replacement(data: bytes) -> tuple[str, int]:
    """(text, bytes replaced) when ``data`` is overwhelmingly valid UTF-8 with real non-ASCII text, else ("", 0).

    One stray byte or a file cut mid-character must not reject a whole report; a GBK file is not UTF-8 with
    a few bad bytes (its non-ASCII bytes almost never form valid UTF-8), so it still goes to the legacy codecs.
    """
    bad = 0
    pieces: list[str] = []
    view = data
    while True:
        try:
            pieces.append(view.decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            pieces.append(view[: exc.start].decode("utf-8") + "\ufffd")
            bad += exc.end - exc.start
            view = view[exc.end :]
            if bad > len(data) * (1 - MIN_VALID_UTF8):
                return "", 0
    text = "".join(pieces)
    non_ascii = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if non_ascii < 10 * bad:
        return "", 0
    return text, bad


def plain_ratio(text: str) -> float:
    """Share of characters that ordinary report text is made of (1.0 for clean text)."""
    if not text:
        return 1.0
    return len(_PLAIN.findall(text)) / len(text)


def _score(text: str) -> float:
    """Plausibility of a candidate decode: 0 when implausible, else plain ratio plus common-hanzi share."""
    plain = plain_ratio(text)
    if plain < _MIN_PLAIN or _CONTROL.search(text):
        return 0.0
    hanzi = _CJK.findall(text)
    common = sum(ch in _COMMON for ch in hanzi) / len(hanzi) if hanzi else 0.5
    return plain + common


def _decode_with_nuls(data: bytes) -> str:
    """NUL bytes mean UTF-16 without a BOM (ASCII, or ideographs like 开 U+5F00), or binary data."""
    best = _best_decode(data, ("utf-16-le", "utf-16-be")) if len(data) % 2 == 0 else None
    if best is None:
        raise ValueError(BINARY_REASON)
    return _checked(best)


def _best_decode(data: bytes, codecs_: tuple[str, ...]) -> str | None:
    """The strict decode that looks most like report text, or None when none is plausible."""
    best: tuple[float, str] | None = None
    for codec in codecs_:
        if codec.startswith("utf-16") and len(data) % 2:
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _score(text)
        if score > 0 and (best is None or score > best[0]):
            best = (score, text)
    return best[1] if best else None


def _checked(text: str) -> str:
    """Reject decodes full of control characters (binary content that happens to decode)."""
    controls = len(_CONTROL.findall(text))
    if controls and controls > max(2, len(text) // 200):
        raise ValueError(BINARY_REASON)
    return _CONTROL.sub("", text)


def _fallback(data: bytes) -> str:
    """Last resort: charset-normalizer, accepted only if the result still looks like text."""
    match = from_bytes(data).best()
    if match is None:
        raise ValueError(BINARY_REASON)
    text = str(match)
    if plain_ratio(text) < _MIN_PLAIN:
        raise ValueError(UNKNOWN_ENCODING_REASON)
    return _checked(text)
