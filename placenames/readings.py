"""Place-name readings (地名读音): the data behind rule 8 of the romanization rules.

《中国地名汉语拼音字母拼写规则（汉语地名部分）》(1984) rule 8: place names are spelled
by standard Mandarin as fixed by the pronunciation committee (普通话审音委员会), and
place-specific readings win (十里堡 in Beijing is Shílǐpù, 吴堡 in Shaanxi is Wúbǔ).
The tables, all plain data, so that a zoning officer's correction is a one-line edit:

* ``POLYPHONES`` — characters with a known place-name reading variant: from the
  CC-CEDICT readings of the country's county- and township-level names
  (``readings_data/reading_variants.tsv``, built by ``data/build_place_readings.py``)
  plus a small curated table. An occurrence that no other table settles goes to human
  review instead of being guessed silently; ``PLACE_DEFAULTS`` are characters read one
  way in every division name that has them, other than their common reading (都 dū).
* ``PLACE_READINGS`` — readings of ~4,570 county- and township-level names or their
  specifics from CC-CEDICT (``readings_data/place_readings.tsv``), each with its source.
* ``WORD_READINGS`` — words whose reading is the same wherever they occur inside a
  name (长安 cháng'ān, 朝阳 cháoyáng); they settle the polyphones they contain.
* ``OVERRIDES`` — the full written form of a name or of a name's specific part,
  optionally for one region only (十里堡 in 北京), including the minority-language
  transliterations (乌鲁木齐 Ürümqi) and names whose generic has become part of the
  proper name (上海 Shànghǎi, rule 4).

``PINYIN_SYLLABLES`` (toneless, ü kept) lets the romanizer split a written form back
into syllables for apostrophes (rule 11) and line breaks (rule 13).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "readings_data"
CURATED_SOURCE = "本系统整理：1984年拼写规则第8条所举及常见地名异读"


@dataclass(frozen=True)
class Polyphone:
    """A character read differently in different place names (地名多音字)."""

    readings: tuple[str, ...]
    examples: str
    source: str = CURATED_SOURCE


_CURATED: dict[str, Polyphone] = {
    "堡": Polyphone(("bǎo", "bǔ", "pù"), "大黄堡 Dàhuángbǎo、吴堡 Wúbǔ、十里堡 Shílǐpù"),
    "厦": Polyphone(("shà", "xià"), "大厦 dàshà、厦门 Xiàmén"),
    "六": Polyphone(("liù", "lù"), "六盘山 Liùpán、六安 Lù'ān、六合 Lùhé"),
    "蚌": Polyphone(("bàng", "bèng"), "蚌埠 Bèngbù"),
    "番": Polyphone(("fān", "pān"), "番禺 Pānyú"),
    "洞": Polyphone(("dòng", "tóng"), "洞庭 Dòngtíng、洪洞 Hóngtóng"),
    "会": Polyphone(("huì", "kuài"), "会昌 Huìchāng、会稽 Kuàijī"),
    "乐": Polyphone(("lè", "yuè", "lào"), "乐山 Lèshān、乐清 Yuèqīng、乐亭 Làotíng"),
    "长": Polyphone(("cháng", "zhǎng"), "长沙 Chángshā、长子 Zhǎngzǐ"),
    "行": Polyphone(("xíng", "háng"), "行唐 Xíngtáng、太行 Tàiháng"),
    "台": Polyphone(("tái", "tāi"), "台湾 Táiwān、台州 Tāizhōu、天台 Tiāntāi"),
    "解": Polyphone(("jiě", "xiè"), "解放 jiěfàng、解州 Xièzhōu"),
    "单": Polyphone(("dān", "shàn"), "单县 Shàn Xiàn"),
    "藏": Polyphone(("cáng", "zàng"), "西藏 Xīzàng"),
    "曲": Polyphone(("qū", "qǔ"), "曲阜 Qūfù"),
    "朝": Polyphone(("cháo", "zhāo"), "朝阳 Cháoyáng"),
    "阿": Polyphone(("ā", "ē"), "阿城 Āchéng、东阿 Dōng'ē"),
    "铅": Polyphone(("qiān", "yán"), "铅山 Yánshān"),
    "涌": Polyphone(("yǒng", "chōng"), "涌泉 Yǒngquán、东涌 Dōngchōng"),
    "漯": Polyphone(("luò", "tà"), "漯河 Luòhé"),
    "泌": Polyphone(("mì", "bì"), "泌阳 Bìyáng"),
    "莘": Polyphone(("shēn", "xīn"), "莘县 Shēn Xiàn、莘庄 Xīnzhuāng"),
    "歙": Polyphone(("shè", "xī"), "歙县 Shè Xiàn"),
    "枞": Polyphone(("cōng", "zōng"), "枞阳 Zōngyáng"),
    "荥": Polyphone(("xíng", "yíng"), "荥阳 Xíngyáng、荥经 Yíngjīng"),
    "蔚": Polyphone(("wèi", "yù"), "蔚县 Yù Xiàn"),
    "尉": Polyphone(("wèi", "yù"), "尉犁 Yùlí"),
    "埔": Polyphone(("pǔ", "bù"), "黄埔 Huángpǔ、大埔 Dàbù"),
    "浒": Polyphone(("hǔ", "xǔ"), "浒墅关 Xǔshùguān"),
    "陂": Polyphone(("bēi", "pí", "pō"), "黄陂 Huángpí"),
}
"""Characters with several place-name readings, curated (rule 8). Readings first-listed
are the common ones; the examples go into the review reason so the reviewer sees why.
大 is not here: no place name reads it other than dà (it flagged every 大 name)."""


def _to_tone(numbered: str) -> str:
    from pypinyin.contrib.tone_convert import to_tone

    return to_tone(numbered)


def _rows(file: str):
    for line in (DATA / file).read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            yield line.split("\t")


def _source(file: str) -> str:
    head = (DATA / file).read_text("utf-8").splitlines()[0]
    return head.split("出处：", 1)[1].rstrip("。") if "出处：" in head else file


# A character read one way in at least this many division names, always other than its
# common reading, is read that way in place names (都 dū, 藏 zàng) instead of flagged.
PLACE_DEFAULT_MIN_NAMES = 3


def _load_variants() -> tuple[dict[str, Polyphone], dict[str, str]]:
    """(characters to flag, characters with one place reading) from reading_variants.tsv."""
    source = _source("reading_variants.tsv")
    flag, default = {}, {}
    for char, kind, common, readings, examples in _rows("reading_variants.tsv"):
        counts = {r.split(":")[0]: int(r.split(":")[1]) for r in readings.split(",")}
        if kind == "place_default" and sum(counts.values()) >= PLACE_DEFAULT_MIN_NAMES:
            default[char] = _to_tone(next(iter(counts)))
            continue
        tones = tuple(dict.fromkeys([_to_tone(common), *(_to_tone(r.replace("u:", "v")) for r in counts)]))
        flag[char] = Polyphone(tones, examples, source)
    return flag, default


def _load_place_readings() -> dict[str, str]:
    """Headword → tone-marked syllables (space-separated) from place_readings.tsv."""
    return {headword: " ".join(_to_tone(s.replace("u:", "v")) for s in numbered.split()) for headword, numbered, _n in
            _rows("place_readings.tsv")}


_SOURCED, PLACE_DEFAULTS = _load_variants()
POLYPHONES: dict[str, Polyphone] = {**_SOURCED, **{c: p for c, p in _CURATED.items() if c not in _SOURCED}}
"""Characters with a known place-name reading variant: flagged for review in any name
whose reading no table settles (CC-CEDICT-derived first, then the curated ones)."""
PLACE_READINGS: dict[str, str] = _load_place_readings()
PLACE_READINGS_SOURCE = _source("place_readings.tsv")
"""Readings of county- and township-level names (or their specifics) from a published
dictionary: they settle the characters they contain, like ``WORD_READINGS``."""


WORD_READINGS: dict[str, str] = {
    # Words fixed wherever they stand in a name; tone-marked syllables, space-separated.
    "长安": "cháng ān",
    "长江": "cháng jiāng",
    "长城": "cháng chéng",
    "长春": "cháng chūn",
    "长沙": "cháng shā",
    "长白": "cháng bái",
    "长治": "cháng zhì",
    "朝阳": "cháo yáng",
    "朝鲜": "cháo xiǎn",
    "西藏": "xī zàng",
    "青藏": "qīng zàng",
    "台湾": "tái wān",
    "太行": "tài háng",
    "洞庭": "dòng tíng",
    "张之洞": "zhāng zhī dòng",
    "大同": "dà tóng",
    "大连": "dà lián",
    "大庆": "dà qìng",
    "大理": "dà lǐ",
    "大兴": "dà xīng",
    "曲阜": "qū fù",
    "解放": "jiě fàng",
    "银行": "yín háng",
    "会展": "huì zhǎn",
    # 东四/西四 are Beijing place names: their 四 is not the start of an ordinal
    # (东四十二条 Dōngsì 12 Tiáo, rule 7), so they are listed here as whole words.
    "东四": "dōng sì",
    "西四": "xī sì",
}


@dataclass(frozen=True)
class Override:
    """The written form of a name (or of its specific part), optionally per region.

    ``regions`` holds Chinese name fragments (北京) or division-code prefixes (11);
    an override with regions applies only when the caller's region matches one.
    """

    name: str
    romanization: str
    regions: tuple[str, ...] = ()
    note: str = ""


MINORITY_NOTE = "《少数民族语地名汉语拼音字母音译转写法》(1976) 音译转写；"

OVERRIDES: tuple[Override, ...] = (
    # Rule 8: place-specific readings.
    Override("十里堡", "Shílǐpù", ("北京", "11"), "北京朝阳区地名，读 pù"),
    Override("大黄堡", "Dàhuángbǎo", ("天津", "12"), "天津武清区地名，读 bǎo"),
    Override("吴堡", "Wúbǔ", (), "陕西吴堡县，读 bǔ"),
    Override("六安", "Lù'ān"),
    Override("六合", "Lùhé", ("南京", "江苏", "32")),
    Override("蚌埠", "Bèngbù"),
    Override("番禺", "Pānyú"),
    Override("厦门", "Xiàmén"),
    Override("乐亭", "Làotíng"),
    Override("乐清", "Yuèqīng"),
    Override("乐山", "Lèshān"),
    Override("洪洞", "Hóngtóng"),
    Override("漯河", "Luòhé"),
    Override("会稽", "Kuàijī"),
    Override("台州", "Tāizhōu"),
    Override("天台", "Tiāntāi"),
    Override("长子", "Zhǎngzǐ"),
    Override("单县", "Shàn Xiàn"),
    Override("解州", "Xièzhōu"),
    Override("铅山", "Yánshān"),
    Override("东阿", "Dōng'ē"),
    Override("东涌", "Dōngchōng", ("广东", "广州", "44")),
    Override("阿城", "Āchéng"),
    Override("泌阳", "Bìyáng"),
    Override("莘县", "Shēn Xiàn"),
    Override("歙县", "Shè Xiàn"),
    Override("枞阳", "Zōngyáng"),
    Override("荥阳", "Xíngyáng"),
    Override("荥经", "Yíngjīng"),
    Override("蔚县", "Yù Xiàn"),
    Override("尉犁", "Yùlí"),
    Override("黄埔", "Huángpǔ"),
    Override("大埔", "Dàbù"),
    Override("浒墅关", "Xǔshùguān"),
    Override("黄陂", "Huángpí"),
    # Minority-language names keep their own transliteration (DOMAIN §5): 蒙、维、藏语地名 by
    # 《少数民族语地名汉语拼音字母音译转写法》(1976), the standard named by 《地名管理条例实施细则》
    # (民行发〔1996〕17号) 第十九条第（四）项; the note of each entry names the language.
    Override("乌鲁木齐", "Ürümqi", (), MINORITY_NOTE + "维吾尔语"),
    Override("呼和浩特", "Hohhot", (), MINORITY_NOTE + "蒙古语"),
    Override("拉萨", "Lhasa", (), MINORITY_NOTE + "藏语"),
    Override("日喀则", "Xigazê", (), MINORITY_NOTE + "藏语"),
    Override("喀什", "Kashi", (), MINORITY_NOTE + "维吾尔语"),
    Override("吐鲁番", "Turpan", (), MINORITY_NOTE + "维吾尔语"),
    Override("阿克苏", "Aksu", (), MINORITY_NOTE + "维吾尔语"),
    Override("库尔勒", "Korla", (), MINORITY_NOTE + "维吾尔语"),
    Override("和田", "Hotan", (), MINORITY_NOTE + "维吾尔语"),
    Override("阿勒泰", "Altay", (), MINORITY_NOTE + "哈萨克语（按维吾尔文转写）"),
    Override("塔什库尔干", "Taxkorgan", (), MINORITY_NOTE + "塔吉克语（按维吾尔文转写）"),
    Override("二连浩特", "Erenhot", (), MINORITY_NOTE + "蒙古语"),
    Override("鄂尔多斯", "Ordos", (), MINORITY_NOTE + "蒙古语"),
    Override("巴彦淖尔", "Bayannur", (), MINORITY_NOTE + "蒙古语"),
    Override("乌兰察布", "Ulanqab", (), MINORITY_NOTE + "蒙古语"),
    Override("锡林浩特", "Xilinhot", (), MINORITY_NOTE + "蒙古语"),
    Override("海拉尔", "Hailar", (), MINORITY_NOTE + "蒙古语"),
    Override("格尔木", "Golmud", (), MINORITY_NOTE + "蒙古语"),
    Override("昌都", "Qamdo", (), MINORITY_NOTE + "藏语"),
    Override("那曲", "Nagqu", (), MINORITY_NOTE + "藏语"),
    Override("林芝", "Nyingchi", (), MINORITY_NOTE + "藏语"),
    Override("阿里", "Ngari", ("西藏", "54"), MINORITY_NOTE + "藏语"),
    Override("珠穆朗玛", "Qomolangma", (), MINORITY_NOTE + "藏语"),
    Override("雅鲁藏布", "Yarlung Zangbo", (), MINORITY_NOTE + "藏语"),
    # Rule 4: bare names whose last character looks like a generic but is part of the
    # proper name (上海 is not "the sea 上"). Names with their own generic (上海市)
    # are split correctly without these.
    Override("上海", "Shànghǎi"),
    Override("青海", "Qīnghǎi"),
    Override("珠海", "Zhūhǎi"),
    Override("威海", "Wēihǎi"),
    Override("北海", "Běihǎi"),
    Override("香港", "Xiānggǎng"),
    Override("青岛", "Qīngdǎo"),
    Override("佛山", "Fóshān"),
    Override("唐山", "Tángshān"),
    Override("鞍山", "Ānshān"),
    Override("中山", "Zhōngshān"),
)


# Every standard Mandarin syllable, toneless (ü written ü). Used only to split written
# forms into syllables; rare interjection syllables (m, ng, hm, ê) are left out.
PINYIN_SYLLABLES: frozenset[str] = frozenset(
    """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bu ca cai can cang cao
    ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun
    chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian diao die din ding diu
    dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei
    gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai
    huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke
    kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian liang
    liao lie lin ling liu lo long lou lu luan lun luo lü lüe ma mai man mang mao me mei men meng mi mian miao mie
    min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nia nian niang niao nie nin ning niu nong nou nu
    nuan nun nuo nü nüe o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi qia qian
    qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo
    sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan
    shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting
    tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong
    xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen
    zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi
    zong zou zu zuan zui zun zuo
    """.split()
)


# 儿 written after a syllable is the erhua "r" (rule 12: 盆儿胡同 Pénr Hútòng) except in
# these words, where 儿 is the full syllable ér ("child"): 幼儿园 Yòu'éryuán.
FULL_ER_WORDS: frozenset[str] = frozenset(
    {"幼儿", "女儿", "婴儿", "孤儿", "男儿", "健儿", "少儿", "胎儿", "侄儿", "孙儿", "育儿", "托儿", "妇儿"}
)
