//! Organisation vocabulary: congress levels, kinds of handling units, deputy
//! status, ethnic groups and parties. Each enum has a stable code (stored, sent in
//! the API) and a Chinese label (shown).

use crate::ids::{IdError, RegionLevel};

crate::coded! {
    /// The five levels of people's congresses (宪法 第九十七条; 地方组织法 第二条).
    CongressLevel {
        National = "national" / "全国",
        Provincial = "provincial" / "省级",
        City = "city" / "市级",
        County = "county" / "县级",
        Township = "township" / "乡级",
    }
}

impl CongressLevel {
    /// The level of division a congress of this level sits in.
    pub fn region_level(self) -> Option<RegionLevel> {
        match self {
            CongressLevel::National => None,
            CongressLevel::Provincial => Some(RegionLevel::Province),
            CongressLevel::City => Some(RegionLevel::City),
            CongressLevel::County => Some(RegionLevel::County),
            CongressLevel::Township => Some(RegionLevel::Township),
        }
    }

    /// The level directly above, whose congress elects this one's deputies to it.
    pub fn parent(self) -> Option<CongressLevel> {
        match self {
            CongressLevel::National => None,
            CongressLevel::Provincial => Some(CongressLevel::National),
            CongressLevel::City => Some(CongressLevel::Provincial),
            CongressLevel::County => Some(CongressLevel::City),
            CongressLevel::Township => Some(CongressLevel::County),
        }
    }

    /// Term length in years: five for every level since the 2018 constitutional
    /// amendment (宪法 第九十八条).
    pub fn term_years(self) -> i16 {
        5
    }

    /// A deputy label: 县人大代表 etc.
    pub fn deputy_label(self) -> &'static str {
        match self {
            CongressLevel::National => "全国人大代表",
            CongressLevel::Provincial => "省人大代表",
            CongressLevel::City => "市人大代表",
            CongressLevel::County => "县人大代表",
            CongressLevel::Township => "乡镇人大代表",
        }
    }
}

crate::coded! {
    /// Kinds of handling units (承办单位); 一府一委两院 and others.
    UnitKind {
        GovernmentDepartment = "government_department" / "政府部门",
        SupervisoryCommission = "supervisory_commission" / "监察委员会",
        Court = "court" / "人民法院",
        Procuratorate = "procuratorate" / "人民检察院",
        Other = "other" / "其他单位",
    }
}

crate::coded! {
    DeputyStatus {
        InOffice = "in_office" / "在任",
        Terminated = "terminated" / "终止",
    }
}

crate::coded! {
    /// Offices of a standing committee that run the platform's work.
    Office {
        DeputyAffairs = "deputy_affairs" / "代表工作委员会",
        ElectionLiaison = "election_liaison" / "选举联络工作委员会",
        Personnel = "personnel" / "人事代表选举办公室",
        Legislative = "legislative" / "法制工作委员会",
        Special = "special" / "专门委员会",
        General = "general" / "办公室",
    }
}

/// The 56 ethnic groups as named in GB/T 3304 (中国各民族名称的罗马字母拼写法和代码).
pub const ETHNIC_GROUPS: [&str; 56] = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
];

/// Checks an ethnic group name; accepts the short form without 族 (e.g. 布依).
pub fn parse_ethnicity(s: &str) -> Result<&'static str, IdError> {
    let t = s.trim();
    ETHNIC_GROUPS
        .iter()
        .find(|g| **g == t || g.strip_suffix('族') == Some(t))
        .copied()
        .ok_or_else(|| IdError(format!("民族“{t}”不是 56 个民族的规范名称之一")))
}

/// Political affiliations as recorded on deputy rosters: full name and the short
/// forms seen in spreadsheets.
pub const PARTIES: &[(&str, &[&str])] = &[
    ("中共党员", &["中国共产党", "中共", "党员", "中共预备党员"]),
    ("民革党员", &["中国国民党革命委员会", "民革"]),
    ("民盟盟员", &["中国民主同盟", "民盟"]),
    ("民建会员", &["中国民主建国会", "民建"]),
    ("民进会员", &["中国民主促进会", "民进"]),
    ("农工党党员", &["中国农工民主党", "农工党"]),
    ("致公党党员", &["中国致公党", "致公党"]),
    ("九三学社社员", &["九三学社"]),
    ("台盟盟员", &["台湾民主自治同盟", "台盟"]),
    ("无党派人士", &["无党派"]),
    ("群众", &[]),
];

pub fn parse_party(s: &str) -> Result<&'static str, IdError> {
    let t = s.trim();
    PARTIES
        .iter()
        .find(|(name, alts)| *name == t || alts.contains(&t))
        .map(|(name, _)| *name)
        .ok_or_else(|| {
            IdError(format!(
                "政治面貌“{t}”无法识别，例如：中共党员、民盟盟员、群众"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_round_trip() {
        for l in CongressLevel::ALL {
            assert_eq!(CongressLevel::parse(l.code()), Some(*l));
            assert_eq!(CongressLevel::parse(l.label()), Some(*l));
        }
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::parse(k.label()), Some(*k));
        }
        assert_eq!(CongressLevel::parse("区级"), None);
    }

    #[test]
    fn level_chain() {
        assert_eq!(
            CongressLevel::Township.parent(),
            Some(CongressLevel::County)
        );
        assert_eq!(CongressLevel::National.parent(), None);
        assert_eq!(
            CongressLevel::County.region_level(),
            Some(RegionLevel::County)
        );
    }

    #[test]
    fn ethnicity_and_party() {
        assert_eq!(ETHNIC_GROUPS.len(), 56);
        assert_eq!(parse_ethnicity("布依"), Ok("布依族"));
        assert_eq!(parse_ethnicity("汉族"), Ok("汉族"));
        assert!(parse_ethnicity("火星族").is_err());
        assert_eq!(parse_party("中国共产党"), Ok("中共党员"));
        assert_eq!(parse_party("九三学社"), Ok("九三学社社员"));
        assert!(parse_party("某党").is_err());
    }
}
