"""Generic terms (通名) and ethnic-group names used by the place-name romanizer.

A place name is a specific part (专名) plus a generic part (通名): 永清 + 镇 (DOMAIN §4).
The romanizer finds the generic as the longest entry of ``GENERIC_TERMS`` at the end of
a name, writes it in the spelling given here (GB/T 38207-2019: generics are spelled in
pinyin, never translated — "Lù", not "Road") and takes the name's GB/T 18521 class from
it when the caller gives none. ``ETHNIC_GROUPS`` lists the 56 nationalities (GB/T 3304)
whose names stand apart inside a name: 广西壮族自治区 Guǎngxī Zhuàngzú Zìzhìqū.
Everything here is data; the rules that use it live in ``placenames.romanization``.
"""

from __future__ import annotations

from dataclasses import dataclass

# GB/T 18521 classes (DOMAIN §4); streets belong to ``transport``.
CATEGORIES: tuple[str, ...] = (
    "sea",
    "water",
    "terrain",
    "division",
    "committee",
    "area",
    "settlement",
    "transport",
    "utility",
    "landmark",
    "building",
    "organisation",
)


@dataclass(frozen=True)
class GenericTerm:
    """One generic term: its characters, its written form and its GB/T 18521 class.

    ``spelling`` is the written form, one word per space (村民委员会 "Cūnmín
    Wěiyuánhuì"); an empty spelling means the reading differs from place to place
    (堡 bǎo/bǔ/pù) and is left to the reading rules, which flag it for review.
    """

    chinese: str
    spelling: str
    category: str


_TERMS: dict[str, dict[str, str]] = {
    "sea": {
        "海": "Hǎi", "湾": "Wān", "海峡": "Hǎixiá", "岛": "Dǎo", "群岛": "Qúndǎo",
        "列岛": "Lièdǎo", "半岛": "Bàndǎo", "礁": "Jiāo", "水道": "Shuǐdào",
    },
    "water": {
        "河": "Hé", "江": "Jiāng", "湖": "Hú", "溪": "Xī", "泉": "Quán", "潭": "Tán", "池": "Chí",
        "泊": "Pō", "淀": "Diàn", "荡": "Dàng", "滩": "Tān", "海子": "Hǎizi", "瀑布": "Pùbù", "运河": "Yùnhé",
    },
    "terrain": {
        "山": "Shān", "岭": "Lǐng", "峰": "Fēng", "岗": "Gǎng", "冈": "Gāng", "坡": "Pō", "峡": "Xiá",
        "峡谷": "Xiágǔ", "谷": "Gǔ", "沟": "Gōu", "塬": "Yuán", "梁": "Liáng", "峁": "Mǎo", "坪": "Píng",
        "洞": "Dòng", "岩": "Yán", "崖": "Yá", "山脉": "Shānmài", "高原": "Gāoyuán", "平原": "Píngyuán",
        "盆地": "Péndì", "沙漠": "Shāmò", "草原": "Cǎoyuán", "高地": "Gāodì", "山口": "Shānkǒu", "垭口": "Yākǒu",
    },
    "division": {
        "省": "Shěng", "市": "Shì", "县": "Xiàn", "区": "Qū", "镇": "Zhèn", "乡": "Xiāng", "街道": "Jiēdào",
        "自治区": "Zìzhìqū", "自治州": "Zìzhìzhōu", "自治县": "Zìzhìxiàn", "自治旗": "Zìzhìqí", "旗": "Qí",
        "盟": "Méng", "地区": "Dìqū", "特别行政区": "Tèbié Xíngzhèngqū", "民族乡": "Mínzúxiāng",
        "苏木": "Sūmù", "林区": "Línqū", "特区": "Tèqū", "新区": "Xīnqū",
    },
    "committee": {
        # The specific of a committee is its village or community name, written as one
        # word like any specific (张家村村委会 Zhāngjiācūn Cūnwěihuì); the community
        # generic is kept apart by listing 社区居委会 as one term.
        "村委会": "Cūnwěihuì", "居委会": "Jūwěihuì", "社区": "Shèqū", "嘎查": "Gāchá",
        "村民委员会": "Cūnmín Wěiyuánhuì", "居民委员会": "Jūmín Wěiyuánhuì",
        "社区居委会": "Shèqū Jūwěihuì", "社区居民委员会": "Shèqū Jūmín Wěiyuánhuì",
    },
    "area": {
        "开发区": "Kāifāqū", "经济开发区": "Jīngjì Kāifāqū", "经济技术开发区": "Jīngjì Jìshù Kāifāqū",
        "高新区": "Gāoxīnqū", "工业园": "Gōngyèyuán", "工业园区": "Gōngyè Yuánqū", "园区": "Yuánqū",
        "农场": "Nóngchǎng", "林场": "Línchǎng", "牧场": "Mùchǎng", "渔场": "Yúchǎng", "保护区": "Bǎohùqū",
        "自然保护区": "Zìrán Bǎohùqū", "示范区": "Shìfànqū", "片区": "Piànqū",
    },
    "settlement": {
        "村": "Cūn", "庄": "Zhuāng", "屯": "Tún", "堡": "", "店": "Diàn", "寨": "Zhài", "营": "Yíng",
        "集": "Jí", "铺": "Pù", "坊": "Fāng",
        # Urban residential areas (城镇居民点): written apart, see RESIDENTIAL_AREAS.
        "小区": "Xiǎoqū", "新村": "Xīncūn", "花园": "Huāyuán", "家园": "Jiāyuán", "苑": "Yuàn",
    },
    "transport": {
        "路": "Lù", "街": "Jiē", "巷": "Xiàng", "胡同": "Hútòng", "弄": "Lòng", "里": "Lǐ", "大道": "Dàdào",
        "大街": "Dàjiē", "步行街": "Bùxíngjiē", "道": "Dào", "条": "Tiáo", "桥": "Qiáo", "立交桥": "Lìjiāoqiáo",
        "隧道": "Suìdào", "站": "Zhàn", "火车站": "Huǒchēzhàn", "汽车站": "Qìchēzhàn", "机场": "Jīchǎng",
        "港": "Gǎng", "码头": "Mǎtóu", "渡口": "Dùkǒu", "公路": "Gōnglù", "高速公路": "Gāosù Gōnglù",
        "铁路": "Tiělù", "国道": "Guódào", "省道": "Shěngdào", "县道": "Xiàndào", "乡道": "Xiāngdào",
        "广场": "Guǎngchǎng",
    },
    "utility": {
        "水库": "Shuǐkù", "渠": "Qú", "干渠": "Gànqú", "水渠": "Shuǐqú", "电站": "Diànzhàn",
        "水电站": "Shuǐdiànzhàn", "电厂": "Diànchǎng", "发电厂": "Fādiànchǎng", "变电站": "Biàndiànzhàn",
        "闸": "Zhá", "水闸": "Shuǐzhá", "坝": "Bà", "大坝": "Dàbà", "堤": "Dī", "堰": "Yàn",
        "泵站": "Bèngzhàn", "灌区": "Guànqū", "水厂": "Shuǐchǎng",
    },
    "landmark": {
        "公园": "Gōngyuán", "森林公园": "Sēnlín Gōngyuán", "湿地公园": "Shīdì Gōngyuán",
        "纪念馆": "Jìniànguǎn", "纪念碑": "Jìniànbēi", "陵园": "Língyuán", "烈士陵园": "Lièshì Língyuán",
        "陵": "Líng", "寺": "Sì", "庙": "Miào", "塔": "Tǎ", "景区": "Jǐngqū", "风景区": "Fēngjǐngqū",
        "风景名胜区": "Fēngjǐng Míngshèngqū", "故居": "Gùjū", "遗址": "Yízhǐ", "古城": "Gǔchéng", "祠": "Cí",
        "宫": "Gōng", "观": "Guàn", "亭": "Tíng", "阁": "Gé", "动物园": "Dòngwùyuán", "植物园": "Zhíwùyuán",
        "博物馆": "Bówùguǎn", "石窟": "Shíkū",
    },
    "building": {
        "楼": "Lóu", "大楼": "Dàlóu", "大厦": "Dàshà", "中心": "Zhōngxīn", "公寓": "Gōngyù", "宾馆": "Bīnguǎn",
        "饭店": "Fàndiàn", "酒店": "Jiǔdiàn", "体育馆": "Tǐyùguǎn", "体育场": "Tǐyùchǎng", "剧院": "Jùyuàn",
        "大剧院": "Dàjùyuàn", "商场": "Shāngchǎng", "会堂": "Huìtáng", "礼堂": "Lǐtáng",
    },
    "organisation": {
        "学校": "Xuéxiào", "小学": "Xiǎoxué", "中学": "Zhōngxué", "大学": "Dàxué", "学院": "Xuéyuàn",
        "医院": "Yīyuàn", "卫生院": "Wèishēngyuàn", "卫生室": "Wèishēngshì", "敬老院": "Jìnglǎoyuàn",
        "养老院": "Yǎnglǎoyuàn", "福利院": "Fúlìyuàn", "幼儿园": "Yòu'éryuán", "人民政府": "Rénmín Zhèngfǔ",
        "派出所": "Pàichūsuǒ", "银行": "Yínháng", "图书馆": "Túshūguǎn",
        "养老服务中心": "Yǎnglǎo Fúwù Zhōngxīn",
        # Government bureaus (rule 14: 天水市测绘局 Tiānshuǐ Shì Cèhuìjú).
        "局": "Jú", "测绘局": "Cèhuìjú", "民政局": "Mínzhèngjú", "公安局": "Gōng'ānjú", "教育局": "Jiàoyùjú",
        "财政局": "Cáizhèngjú", "税务局": "Shuìwùjú", "气象局": "Qìxiàngjú", "林业局": "Línyèjú",
        "水务局": "Shuǐwùjú", "邮政局": "Yóuzhèngjú", "统计局": "Tǒngjìjú", "审计局": "Shěnjìjú",
        "司法局": "Sīfǎjú", "商务局": "Shāngwùjú", "自然资源局": "Zìrán Zīyuánjú", "交通运输局": "Jiāotōng Yùnshūjú",
        "卫生健康局": "Wèishēng Jiànkāngjú", "文化和旅游局": "Wénhuà hé Lǚyóujú", "人民医院": "Rénmín Yīyuàn",
    },
}  # fmt: skip

GENERIC_TERMS: dict[str, GenericTerm] = {
    chinese: GenericTerm(chinese, spelling, category)
    for category, terms in _TERMS.items()
    for chinese, spelling in terms.items()
}

# Settlement generics of towns and cities' residential areas: the "one word" rule for
# natural villages and towns (rule 3) does not reach them (幸福小区 Xìngfú Xiǎoqū).
RESIDENTIAL_AREAS: frozenset[str] = frozenset({"小区", "新村", "花园", "家园", "苑"})

# One-syllable modifiers (修饰、限定成分) that join a one-syllable generic (rules 2, 14),
# with their reading in that role: 景山后街 Jǐngshān Hòujiē, 修文西小巷 Xiūwén Xīxiǎoxiàng.
MODIFIERS: dict[str, str] = {
    "东": "dōng", "西": "xī", "南": "nán", "北": "běi", "中": "zhōng", "前": "qián", "后": "hòu",
    "左": "zuǒ", "右": "yòu", "上": "shàng", "下": "xià", "内": "nèi", "外": "wài", "新": "xīn",
    "老": "lǎo", "旧": "jiù", "大": "dà", "小": "xiǎo", "正": "zhèng", "横": "héng", "直": "zhí", "斜": "xié",
}  # fmt: skip

# Street generics after which a numeral is an ordinal written in Arabic numerals
# (rule 7): 经五路 Jīng 5 Lù, 大川淀一巷 Dàchuāndiàn 1 Xiàng, 东四十二条 Dōngsì 12 Tiáo.
ORDINAL_GENERICS: frozenset[str] = frozenset({"路", "街", "大街", "巷", "弄", "条", "里", "胡同"})

# A one-syllable word between the ordinal and 路 that joins the generic (rules 2, 7):
# 二马路 2 Mǎlù, 三环路 3 Huánlù. Kept short on purpose: 九龙路 is Jiǔlóng Lù.
ORDINAL_LINKS: frozenset[str] = frozenset("马环")

# Rule 14: in names of buildings, organisations, scenic spots and transport facilities a
# division name inside the specific is written apart, its generic too (天水市测绘局
# Tiānshuǐ Shì Cèhuìjú, 清水县汽车站 Qīngshuǐ Xiàn Qìchēzhàn).
RULE14_CLASSES: frozenset[str] = frozenset({"building", "organisation", "landmark", "utility"})
RULE14_FACILITY_ENDINGS: tuple[str, ...] = ("站", "场", "港", "码头")
DIVISION_INNER_GENERICS: dict[str, str] = {"省": "Shěng", "市": "Shì", "县": "Xiàn", "自治县": "Zìzhìxiàn"}

# Rule 2: a modifier of two or more syllables stands apart (西北滨河路 Xīběi Bīnhé Lù).
TWO_SYLLABLE_DIRECTIONS: frozenset[str] = frozenset({"东北", "东南", "西北", "西南"})

ETHNIC_GROUPS: dict[str, str] = {
    "汉族": "Hànzú", "蒙古族": "Měnggǔzú", "回族": "Huízú", "藏族": "Zàngzú", "维吾尔族": "Wéiwú'ěrzú",
    "苗族": "Miáozú", "彝族": "Yízú", "壮族": "Zhuàngzú", "布依族": "Bùyīzú", "朝鲜族": "Cháoxiǎnzú",
    "满族": "Mǎnzú", "侗族": "Dòngzú", "瑶族": "Yáozú", "白族": "Báizú", "土家族": "Tǔjiāzú",
    "哈尼族": "Hānízú", "哈萨克族": "Hāsàkèzú", "傣族": "Dǎizú", "黎族": "Lízú", "傈僳族": "Lìsùzú",
    "佤族": "Wǎzú", "畲族": "Shēzú", "高山族": "Gāoshānzú", "拉祜族": "Lāhùzú", "水族": "Shuǐzú",
    "东乡族": "Dōngxiāngzú", "纳西族": "Nàxīzú", "景颇族": "Jǐngpōzú", "柯尔克孜族": "Kē'ěrkèzīzú",
    "土族": "Tǔzú", "达斡尔族": "Dáwò'ěrzú", "仫佬族": "Mùlǎozú", "羌族": "Qiāngzú", "布朗族": "Bùlǎngzú",
    "撒拉族": "Sālāzú", "毛南族": "Máonánzú", "仡佬族": "Gēlǎozú", "锡伯族": "Xībózú", "阿昌族": "Āchāngzú",
    "普米族": "Pǔmǐzú", "塔吉克族": "Tǎjíkèzú", "怒族": "Nùzú", "乌孜别克族": "Wūzībiékèzú",
    "俄罗斯族": "Éluósīzú", "鄂温克族": "Èwēnkèzú", "德昂族": "Dé'ángzú", "保安族": "Bǎo'ānzú",
    "裕固族": "Yùgùzú", "京族": "Jīngzú", "塔塔尔族": "Tǎtǎ'ěrzú", "独龙族": "Dúlóngzú",
    "鄂伦春族": "Èlúnchūnzú", "赫哲族": "Hèzhézú", "门巴族": "Ménbāzú", "珞巴族": "Luòbāzú",
    "基诺族": "Jīnuòzú",
    # 新疆维吾尔自治区 names the nationality without 族: Xīnjiāng Wéiwú'ěr Zìzhìqū.
    "维吾尔": "Wéiwú'ěr",
}  # fmt: skip
