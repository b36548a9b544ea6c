//! Toll-free call analytics (CX サポート, SPEC §9, seed 000): subscriptions per operator
//! ID with their FreeDial / NaviDial numbers (AN) and destination numbers (DN), the call
//! records collected for them, and the reports drawn from their rollups.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Lang;
use crate::ids::{NumberGroupId, OrganizationId, SubscriptionId};
use crate::validation::Invalid;

/// Call records in one ingestion batch.
pub const BATCH_MAX: usize = 10_000;
/// Days of raw call records kept (詳細データ: 最長3ヶ月); a record older is refused.
pub const DETAIL_DAYS: i64 = 92;
/// Numbers in one group.
pub const GROUP_NUMBERS_MAX: usize = 200;
/// Groups of one kind per subscription.
pub const GROUPS_MAX: usize = 100;
/// Numbers per subscription.
pub const NUMBERS_MAX: usize = 1_000;

crate::text_enum! {
    /// お申し込みプラン (seed 000 §1-2).
    pub enum Plan {
        /// 無料プラン: the four basic reports, 12 months of aggregates.
        Free = "free",
        /// スタンダードプラン: every report, groups, 24 months of aggregates, 3 of detail.
        Standard = "standard",
    }
}

crate::text_enum! {
    /// What a plan unlocks besides its reports (seed 000 §1-2).
    pub enum PlanFeature {
        /// FD/ND番号グループ化・着信先番号グループ化: groups of ANs and of DNs to filter by.
        NumberGroups = "number_groups",
        /// お客さま保有データ アップロード: the customer's own daily figures beside the
        /// collected ones.
        OwnData = "own_data",
        /// 子ID払出し及び管理: view-only sub-accounts.
        ChildIds = "child_ids",
        /// ダウンロード (イメージ・PDF・PowerPoint).
        Downloads = "downloads",
    }
}

/// What one plan unlocks: the one table that the server's gating, the retention purge,
/// the plan page and the report catalogue all read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanTerms {
    pub plan: Plan,
    pub reports: &'static [ReportKind],
    pub features: &'static [PlanFeature],
    /// Child IDs the subscriber may have.
    pub child_ids_max: u32,
    /// Months of aggregates kept (基本データ).
    pub aggregate_months: u32,
    /// Months of raw call detail kept (詳細データ); 0 = none shown.
    pub detail_months: u32,
    /// Whether the billing phone and FD/ND numbers are required (the plan is charged).
    pub charged: bool,
}

const BASIC_REPORTS: [ReportKind; 4] = [
    ReportKind::RecentTraffic,
    ReportKind::YearlyTraffic,
    ReportKind::Comparison,
    ReportKind::IncompleteReasons,
];

/// The plans, least first (seed 000 §1-2 お申し込みプランによる提供機能の違い). The seed
/// gives no number of child IDs; ten is this portal's.
pub const PLANS: [PlanTerms; 2] = [
    PlanTerms {
        plan: Plan::Free,
        reports: &BASIC_REPORTS,
        features: &[PlanFeature::Downloads],
        child_ids_max: 0,
        aggregate_months: 12,
        detail_months: 0,
        charged: false,
    },
    PlanTerms {
        plan: Plan::Standard,
        reports: ReportKind::ALL,
        features: &[
            PlanFeature::NumberGroups,
            PlanFeature::OwnData,
            PlanFeature::ChildIds,
            PlanFeature::Downloads,
        ],
        child_ids_max: 10,
        aggregate_months: 24,
        detail_months: 3,
        charged: true,
    },
];

impl Plan {
    /// The plan's row of [`PLANS`].
    pub fn terms(self) -> &'static PlanTerms {
        PLANS
            .iter()
            .find(|terms| terms.plan == self)
            .unwrap_or(&PLANS[PLANS.len() - 1])
    }

    /// The least plan whose terms pass `test` (the most generous when none does).
    pub fn least_with(test: impl Fn(&PlanTerms) -> bool) -> Plan {
        PLANS
            .iter()
            .find(|terms| test(terms))
            .map_or(PLANS[PLANS.len() - 1].plan, |terms| terms.plan)
    }

    pub fn shows(self, report: ReportKind) -> bool {
        self.terms().reports.contains(&report)
    }

    pub fn unlocks(self, feature: PlanFeature) -> bool {
        self.terms().features.contains(&feature)
    }

    /// Months of aggregates kept (基本データ: 最長12ヶ月 / 24ヶ月).
    pub fn aggregate_months(self) -> u32 {
        self.terms().aggregate_months
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Free, Lang::Ja) => "無料プラン",
            (Self::Free, Lang::En) => "Free plan",
            (Self::Standard, Lang::Ja) => "スタンダードプラン",
            (Self::Standard, Lang::En) => "Standard plan",
        }
    }
}

crate::text_enum! {
    /// AN: a FreeDial (0120 / 0800) or NaviDial (0570) number; DN: a number they connect to.
    pub enum NumberKind {
        An = "an",
        Dn = "dn",
    }
}

crate::text_enum! {
    /// How a call ended: completed, or why it did not (不完了理由).
    pub enum CallResult {
        Completed = "completed",
        Busy = "busy",
        NoAnswer = "no_answer",
        Abandoned = "abandoned",
        OutOfService = "out_of_service",
        Rejected = "rejected",
        Other = "other",
    }
}

impl CallResult {
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Completed, Lang::Ja) => "完了呼",
            (Self::Completed, Lang::En) => "Completed",
            (Self::Busy, Lang::Ja) => "話中",
            (Self::Busy, Lang::En) => "Busy",
            (Self::NoAnswer, Lang::Ja) => "無応答",
            (Self::NoAnswer, Lang::En) => "No answer",
            (Self::Abandoned, Lang::Ja) => "途中放棄",
            (Self::Abandoned, Lang::En) => "Abandoned",
            (Self::OutOfService, Lang::Ja) => "サービス時間外",
            (Self::OutOfService, Lang::En) => "Out of service",
            (Self::Rejected, Lang::Ja) => "着信拒否",
            (Self::Rejected, Lang::En) => "Rejected",
            (Self::Other, Lang::Ja) => "その他",
            (Self::Other, Lang::En) => "Other",
        }
    }
}

/// An operator ID (OPID): 1–20 half-width letters and digits.
pub fn opid_shape(value: &str) -> Result<(), Invalid> {
    if value.is_empty() {
        return Err(Invalid::Required);
    }
    if value.len() > 20 {
        return Err(Invalid::TooLong { max: 20 });
    }
    if !value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Invalid::Format {
            expected: "half-width letters and digits",
        });
    }
    Ok(())
}

/// A number as typed, hyphens and spaces dropped (`0120-123-456` → `0120123456`).
pub fn normalized_number(value: &str) -> String {
    value
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '‐' | 'ー' | '−'))
        .collect()
}

/// An AN (hyphens dropped first): 0120, 0800 or 0570 and 6 digits.
pub fn an_shape(value: &str) -> Result<(), Invalid> {
    if value.is_empty() {
        return Err(Invalid::Required);
    }
    let digits = value.len() == 10 && value.bytes().all(|b| b.is_ascii_digit());
    if !digits
        || !["0120", "0800", "0570"]
            .iter()
            .any(|head| value.starts_with(head))
    {
        return Err(Invalid::Format {
            expected: "0120, 0800 or 0570 and 6 digits",
        });
    }
    Ok(())
}

/// A DN (hyphens dropped first): a domestic number, 0 and 9 or 10 digits.
pub fn dn_shape(value: &str) -> Result<(), Invalid> {
    if value.is_empty() {
        return Err(Invalid::Required);
    }
    let ok = (10..=11).contains(&value.len())
        && value.starts_with('0')
        && value.bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return Err(Invalid::Format {
            expected: "0 and 9 or 10 digits",
        });
    }
    Ok(())
}

/// A group's name: 1–40 characters, not only spaces.
pub fn group_name_shape(value: &str) -> Result<(), Invalid> {
    if value.trim().is_empty() {
        return Err(Invalid::Required);
    }
    if value.chars().count() > 40 {
        return Err(Invalid::TooLong { max: 40 });
    }
    if value.chars().any(crate::validation::is_unprintable) {
        return Err(Invalid::Format {
            expected: "no control or invisible characters",
        });
    }
    Ok(())
}

/// The 47 prefectures in JIS X 0401 order (code = position + 1), Japanese and English.
pub const PREFECTURES: [(&str, &str); 47] = [
    ("北海道", "Hokkaido"),
    ("青森県", "Aomori"),
    ("岩手県", "Iwate"),
    ("宮城県", "Miyagi"),
    ("秋田県", "Akita"),
    ("山形県", "Yamagata"),
    ("福島県", "Fukushima"),
    ("茨城県", "Ibaraki"),
    ("栃木県", "Tochigi"),
    ("群馬県", "Gunma"),
    ("埼玉県", "Saitama"),
    ("千葉県", "Chiba"),
    ("東京都", "Tokyo"),
    ("神奈川県", "Kanagawa"),
    ("新潟県", "Niigata"),
    ("富山県", "Toyama"),
    ("石川県", "Ishikawa"),
    ("福井県", "Fukui"),
    ("山梨県", "Yamanashi"),
    ("長野県", "Nagano"),
    ("岐阜県", "Gifu"),
    ("静岡県", "Shizuoka"),
    ("愛知県", "Aichi"),
    ("三重県", "Mie"),
    ("滋賀県", "Shiga"),
    ("京都府", "Kyoto"),
    ("大阪府", "Osaka"),
    ("兵庫県", "Hyogo"),
    ("奈良県", "Nara"),
    ("和歌山県", "Wakayama"),
    ("鳥取県", "Tottori"),
    ("島根県", "Shimane"),
    ("岡山県", "Okayama"),
    ("広島県", "Hiroshima"),
    ("山口県", "Yamaguchi"),
    ("徳島県", "Tokushima"),
    ("香川県", "Kagawa"),
    ("愛媛県", "Ehime"),
    ("高知県", "Kochi"),
    ("福岡県", "Fukuoka"),
    ("佐賀県", "Saga"),
    ("長崎県", "Nagasaki"),
    ("熊本県", "Kumamoto"),
    ("大分県", "Oita"),
    ("宮崎県", "Miyazaki"),
    ("鹿児島県", "Kagoshima"),
    ("沖縄県", "Okinawa"),
];

/// Where a call came from or goes to: a prefecture (1–47, JIS X 0401), or a kind of
/// number without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Region {
    Prefecture(u8),
    /// 070 / 080 / 090 (and 020 data) numbers: 携帯電話.
    Mobile,
    /// 050 numbers: IP電話.
    IpPhone,
    /// No caller number (非通知).
    Withheld,
    /// Anything else: a toll-free number, an international or unknown one.
    Other,
}

impl Region {
    pub const MOBILE: i16 = 48;
    pub const IP_PHONE: i16 = 49;
    pub const WITHHELD: i16 = 50;
    pub const OTHER: i16 = 51;

    /// Every region in report order: the prefectures north to south, then the kinds.
    pub fn all() -> impl Iterator<Item = Self> {
        (1..=47)
            .map(Self::Prefecture)
            .chain([Self::Mobile, Self::IpPhone, Self::Withheld, Self::Other])
    }

    /// The stored code: the prefecture's, or 48–51.
    pub const fn code(self) -> i16 {
        match self {
            Self::Prefecture(code) => code as i16,
            Self::Mobile => Self::MOBILE,
            Self::IpPhone => Self::IP_PHONE,
            Self::Withheld => Self::WITHHELD,
            Self::Other => Self::OTHER,
        }
    }

    pub fn from_code(code: i16) -> Self {
        match code {
            1..=47 => Self::Prefecture(code as u8),
            Self::MOBILE => Self::Mobile,
            Self::IP_PHONE => Self::IpPhone,
            Self::WITHHELD => Self::Withheld,
            _ => Self::Other,
        }
    }

    /// The key in reports: `13` for Tokyo, `mobile`, `ip_phone`, `withheld`, `other`.
    pub fn key(self) -> String {
        match self {
            Self::Prefecture(code) => code.to_string(),
            Self::Mobile => "mobile".to_owned(),
            Self::IpPhone => "ip_phone".to_owned(),
            Self::Withheld => "withheld".to_owned(),
            Self::Other => "other".to_owned(),
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Prefecture(code), _) => {
                let (ja, en) = PREFECTURES[usize::from(code.clamp(1, 47)) - 1];
                if lang == Lang::Ja { ja } else { en }
            }
            (Self::Mobile, Lang::Ja) => "携帯電話",
            (Self::Mobile, Lang::En) => "Mobile",
            (Self::IpPhone, Lang::Ja) => "IP電話",
            (Self::IpPhone, Lang::En) => "IP phone",
            (Self::Withheld, Lang::Ja) => "非通知",
            (Self::Withheld, Lang::En) => "Withheld",
            (Self::Other, Lang::Ja) => "その他",
            (Self::Other, Lang::En) => "Other",
        }
    }
}

crate::text_enum! {
    /// The reports of seed 000 §1-2 (基本データ 01–04, 詳細データ 01–08; 08 通話時間帯他分布
    /// is two: durations and time of day).
    pub enum ReportKind {
        RecentTraffic = "recent_traffic",
        YearlyTraffic = "yearly_traffic",
        Comparison = "comparison",
        IncompleteReasons = "incomplete_reasons",
        Origins = "origins",
        Destinations = "destinations",
        OriginDestination = "origin_destination",
        PerNumber = "per_number",
        PerMinute = "per_minute",
        CallerComposition = "caller_composition",
        ConcurrentLines = "concurrent_lines",
        Durations = "durations",
        TimeOfDay = "time_of_day",
    }
}

crate::text_enum! {
    /// How a report is drawn.
    pub enum ChartKind {
        Line = "line",
        Bar = "bar",
        StackedBar = "stacked_bar",
        HeatMap = "heat_map",
        PrefectureMap = "prefecture_map",
    }
}

crate::text_enum! {
    /// A report's download: the chart as an image, a PDF page, or a PowerPoint deck (a
    /// title slide, the chart, the table).
    pub enum DownloadFormat {
        Png = "png",
        Pdf = "pdf",
        Pptx = "pptx",
    }
}

/// A report file a job drew (the result of a `render_report` job): fetched from `href`
/// by the account that asked for it, for a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct RenderedFile {
    pub format: DownloadFormat,
    /// What to save it as: the report, the period and the extension.
    pub file_name: String,
    #[cfg_attr(feature = "schema", schema(minimum = 1))]
    pub size: i64,
    /// `/api/v1/analytics/downloads/{job id}`.
    pub href: String,
    /// When it is deleted.
    pub expires_at: DateTime<Utc>,
}

impl DownloadFormat {
    /// The file's media type.
    pub const fn media_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Pdf => "application/pdf",
            Self::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        }
    }

    /// The file name's extension.
    pub const fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Pdf => "pdf",
            Self::Pptx => "pptx",
        }
    }
}

impl ReportKind {
    /// The least plan that shows the report (from [`PLANS`]).
    pub fn plan(self) -> Plan {
        Plan::least_with(|terms| terms.reports.contains(&self))
    }

    pub const fn chart(self) -> ChartKind {
        match self {
            Self::RecentTraffic | Self::Comparison | Self::PerMinute => ChartKind::Line,
            Self::YearlyTraffic | Self::IncompleteReasons | Self::Destinations | Self::Durations => {
                ChartKind::Bar
            }
            Self::PerNumber | Self::CallerComposition | Self::ConcurrentLines => ChartKind::StackedBar,
            Self::OriginDestination | Self::TimeOfDay => ChartKind::HeatMap,
            Self::Origins => ChartKind::PrefectureMap,
        }
    }

    /// The seed's menu title.
    pub fn title(self, lang: Lang) -> &'static str {
        let (ja, en) = match self {
            Self::RecentTraffic => ("直近3ヶ月トラフィック", "Traffic, last 3 months"),
            Self::YearlyTraffic => ("年間トラフィック", "Traffic by month, one year"),
            Self::Comparison => ("トラフィック比較分析", "Traffic comparison of two periods"),
            Self::IncompleteReasons => ("不完了理由詳細", "Incomplete-call reasons"),
            Self::Origins => ("発信地域別", "By origin region"),
            Self::Destinations => ("着信地域別", "By destination region"),
            Self::OriginDestination => ("発着信地域別", "Origin × destination"),
            Self::PerNumber => ("番号別詳細", "Per number"),
            Self::PerMinute => ("呼数・分単位", "Calls per minute"),
            Self::CallerComposition => ("コール人数構成", "Caller composition"),
            Self::ConcurrentLines => ("同時適正回線数", "Appropriate concurrent lines"),
            Self::Durations => ("通話時間分布", "Call duration distribution"),
            Self::TimeOfDay => ("通話時間帯分布", "Time-of-day distribution"),
        };
        if lang == Lang::Ja { ja } else { en }
    }
}

/// Create a subscription (provider staff): an OPID of an organization and its plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubscriptionRequest {
    pub organization_id: OrganizationId,
    /// 1–20 half-width letters and digits; one subscription per OPID.
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 1, max_length = 20, pattern = "^[A-Za-z0-9]+$")
    )]
    pub opid: String,
    pub plan: Plan,
}

/// Change the plan; the data stays.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanChange {
    pub plan: Plan,
    /// 請求用電話番号: required to move to the standard plan unless the subscription has
    /// one already.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_length = 16, pattern = "^[0-9 -]*$"))]
    pub billing_phone: Option<String>,
    /// 請求用FD/ND番号: likewise.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_length = 16, pattern = "^[0-9 -]*$"))]
    pub billing_number: Option<String>,
}

/// A number of a subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct AnalyticsNumber {
    pub kind: NumberKind,
    /// Digits only.
    pub number: String,
}

/// Register a number under a subscription (provider staff).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NumberRequest {
    pub kind: NumberKind,
    /// AN: 0120 / 0800 / 0570 and 6 digits; DN: 0 and 9 or 10 digits. Hyphens are dropped.
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 20))]
    pub number: String,
}

/// A subscription with its numbers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Subscription {
    pub id: SubscriptionId,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub opid: String,
    /// The CX サポート ID: 10 letters and digits.
    pub analytics_id: String,
    pub plan: Plan,
    pub numbers: Vec<AnalyticsNumber>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// 請求用電話番号 and 請求用FD/ND番号, where given (a charged plan needs both).
    pub billing_phone: Option<String>,
    pub billing_number: Option<String>,
}

/// The subscriptions the caller sees.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct SubscriptionList {
    pub items: Vec<Subscription>,
}

/// Create or replace a group of ANs or of DNs (standard plan).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NumberGroupRequest {
    pub kind: NumberKind,
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 40))]
    pub name: String,
    /// Numbers of the subscription of this kind, each once; at most 200.
    #[cfg_attr(feature = "schema", schema(max_items = 200))]
    pub numbers: Vec<String>,
}

/// A user-defined group of numbers (FD/ND番号グループ, 着信先番号グループ).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct NumberGroup {
    pub id: NumberGroupId,
    pub kind: NumberKind,
    pub name: String,
    pub numbers: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct NumberGroupList {
    pub items: Vec<NumberGroup>,
}

/// One call as collected: when (Japan's time, or with a zone), which AN was dialled, by
/// whom, to which DN it was connected, for how long and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CallInput {
    /// The collector's id of the record: 1–64 visible ASCII characters; a record sent
    /// again under its id adds nothing.
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 64))]
    pub record_id: String,
    /// `YYYY-MM-DDThh:mm:ss` in Japan's time, or with a zone.
    #[cfg_attr(feature = "schema", schema(value_type = String, example = "2026-12-01T09:30:00+09:00"))]
    pub called_at: NaiveDateTime,
    /// The AN dialled, a number of the subscription.
    #[cfg_attr(feature = "schema", schema(max_length = 20))]
    pub an: String,
    /// The caller's number; empty when withheld (非通知).
    #[cfg_attr(feature = "schema", schema(max_length = 20))]
    #[serde(default)]
    pub caller: String,
    /// The DN the call was connected to, a number of the subscription; empty when the call
    /// reached none.
    #[cfg_attr(feature = "schema", schema(max_length = 20))]
    #[serde(default)]
    pub dn: String,
    /// Seconds of conversation (0 for a call not completed).
    #[cfg_attr(feature = "schema", schema(minimum = 0, maximum = 86400))]
    pub duration_seconds: i32,
    pub result: CallResult,
}

/// A batch of call records (at most 10,000).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CallBatch {
    #[cfg_attr(feature = "schema", schema(max_items = 10000))]
    pub records: Vec<CallInput>,
}

/// A report's filters as applied: the period, and the numbers, weekdays and hours kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct AppliedFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The second period of a comparison.
    pub compare_from: Option<NaiveDate>,
    pub compare_to: Option<NaiveDate>,
    /// The ANs counted (all of the subscription's when no AN filter was given).
    pub ans: Vec<String>,
    /// The DNs counted when a destination group was chosen.
    pub dns: Option<Vec<String>>,
    /// Weekdays counted, 1 = Monday … 7 = Sunday.
    pub weekdays: Vec<u8>,
    /// Hours counted: from `hour_from` up to (not including) `hour_to`.
    pub hour_from: u8,
    pub hour_to: u8,
}

/// One column of a report's table (a series of its chart).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ReportColumn {
    pub key: String,
    pub label: String,
}

/// One row of a report's table (a point or a bar of its chart).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ReportRow {
    pub key: String,
    pub label: String,
    /// One value per column.
    pub values: Vec<f64>,
}

/// The line sizing of 同時適正回線数: the busiest hour's offered traffic and the fewest
/// lines whose Erlang-B blocking is at or under the target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct LineSizing {
    /// The busiest hour (Japan's time) and its offered traffic in erlangs (seconds of
    /// conversation in it / 3600).
    pub busiest_hour: Option<NaiveDateTime>,
    pub erlangs: f64,
    /// The blocking aimed at (0.01 = 1%).
    pub target_blocking: f64,
    pub lines: u32,
    /// The blocking at that many lines.
    pub blocking: f64,
}

/// A report: its table (rows × columns, with totals per column), how to draw it, and the
/// filters it applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Report {
    pub report: ReportKind,
    pub title: String,
    pub chart: ChartKind,
    pub filter: AppliedFilter,
    pub columns: Vec<ReportColumn>,
    pub rows: Vec<ReportRow>,
    /// One total per column (for shares and averages: the overall value).
    pub totals: Vec<f64>,
    /// 同時適正回線数 only.
    pub lines: Option<LineSizing>,
}

/// A report of the catalogue, and whether the subscription's plan shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct CatalogueEntry {
    pub report: ReportKind,
    pub title: String,
    pub chart: ChartKind,
    /// The plan that shows it.
    pub plan: Plan,
    pub available: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Catalogue {
    pub plan: Plan,
    pub items: Vec<CatalogueEntry>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_checked_after_hyphens_are_dropped() {
        assert_eq!(normalized_number("0120-123-456"), "0120123456");
        assert_eq!(an_shape("0120123456"), Ok(()));
        assert_eq!(an_shape("0800123456"), Ok(()));
        assert_eq!(an_shape("0570123456"), Ok(()));
        assert!(an_shape("0312345678").is_err());
        assert!(an_shape("012012345").is_err());
        assert_eq!(dn_shape("0312345678"), Ok(()));
        assert_eq!(dn_shape("09012345678"), Ok(()));
        assert!(dn_shape("312345678").is_err());
        assert!(dn_shape("03-1234").is_err());
        assert!(opid_shape("OP12345").is_ok());
        assert!(opid_shape("OP-1").is_err());
    }

    #[test]
    fn region_codes_round_trip() {
        for region in Region::all() {
            assert_eq!(Region::from_code(region.code()), region);
        }
        assert_eq!(Region::all().count(), 51);
        assert_eq!(Region::Prefecture(13).label(Lang::Ja), "東京都");
        assert_eq!(Region::Prefecture(47).label(Lang::En), "Okinawa");
    }

    #[test]
    fn the_free_plan_shows_the_four_basic_reports() {
        let free: Vec<_> = ReportKind::ALL
            .iter()
            .filter(|kind| kind.plan() == Plan::Free)
            .collect();
        assert_eq!(free.len(), 4);
    }
}

/// A sales code's length (販売コード); "none" is fourteen `0`s (seed 000 §1-4).
pub const SALES_CODE_LEN: usize = 14;

/// The sales code a sign-up records: the one given (14 half-width letters and digits), or
/// fourteen `0`s when the sales representative named none.
pub fn sales_code(has_code: bool, code: &str) -> Result<String, Invalid> {
    if !has_code {
        return Ok("0".repeat(SALES_CODE_LEN));
    }
    let code = code.trim();
    if code.is_empty() {
        return Err(Invalid::Required);
    }
    if code.len() != SALES_CODE_LEN || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Invalid::Format {
            expected: "14 half-width letters and digits",
        });
    }
    Ok(code.to_ascii_uppercase())
}

crate::text_enum! {
    /// 業種 of the sign-up form ("other" when unsure, as the seed advises).
    pub enum Industry {
        Manufacturing = "manufacturing",
        Retail = "retail",
        Finance = "finance",
        Insurance = "insurance",
        Telecom = "telecom",
        InformationTechnology = "information_technology",
        Logistics = "logistics",
        Travel = "travel",
        Medical = "medical",
        Education = "education",
        Public = "public",
        Services = "services",
        Other = "other",
    }
}

crate::text_enum! {
    /// 認証方式: how the subscriber signs in besides the password. A client certificate
    /// (電子証明書) may be added later.
    pub enum AuthMethod {
        /// ワンタイムパスワード: a 6-digit code mailed at each sign-in.
        EmailOtp = "email_otp",
    }
}

/// The sign-up form (お申し込み, seed 000 §1-4): the contractor, the OPID with one of its
/// FD/ND numbers and one destination number, the plan, the contact who signs in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignupRequest {
    /// 契約者名.
    #[cfg_attr(
        feature = "schema",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*$"
        )
    )]
    pub contractor_name: String,
    pub industry: Industry,
    /// 連絡先電話番号: 0 and 9 or 10 digits (hyphens allowed).
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 10, max_length = 16, pattern = "^[0-9 -]+$")
    )]
    pub contact_phone: String,
    /// オペレーターID: the parent OPID; one subscription per OPID.
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 1, max_length = 20, pattern = "^[A-Za-z0-9]+$")
    )]
    pub opid: String,
    /// FD/ND番号: one of the OPID's 0120 / 0800 / 0570 numbers.
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 10, max_length = 16, pattern = "^[0-9 -]+$")
    )]
    pub an_number: String,
    /// 着信先番号: one destination number of those numbers.
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 10, max_length = 16, pattern = "^[0-9 -]+$")
    )]
    pub dn_number: String,
    pub plan: Plan,
    /// 請求用電話番号: required for the standard plan.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_length = 16, pattern = "^[0-9 -]*$"))]
    pub billing_phone: String,
    /// 請求用FD/ND番号: required for the standard plan.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_length = 16, pattern = "^[0-9 -]*$"))]
    pub billing_number: String,
    /// 部署.
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 100))]
    pub department: String,
    /// 担当者: who signs in.
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 100))]
    pub contact_person: String,
    /// メールアドレス: where the sign-up mails and the one-time passwords go.
    #[cfg_attr(feature = "schema", schema(format = Email, max_length = 254))]
    pub email: String,
    #[cfg_attr(feature = "schema", schema(format = Email, max_length = 254))]
    pub email_confirmation: String,
    /// ≥ 12 half-width characters with an upper-case letter, a lower-case letter and a
    /// digit; not a common password.
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 12, max_length = 128, pattern = "^[!-~]+$")
    )]
    pub password: String,
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 128))]
    pub password_confirmation: String,
    pub auth_method: AuthMethod,
    /// 販売コード有無: `false` records fourteen `0`s.
    pub has_sales_code: bool,
    /// 販売コード: 14 half-width letters and digits, when `has_sales_code`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(max_length = 14, pattern = "^[A-Za-z0-9]*$"))]
    pub sales_code: String,
}

/// The sign-up is provisional: the confirmation link went to the email.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct SignupResponse {
    pub opid: String,
    pub email: String,
    /// The mailed link works until then (24 hours).
    pub confirmation_expires_at: chrono::DateTime<chrono::Utc>,
}

/// Confirm a sign-up (本登録) with the token from the (1/3) mail.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfirmSignupRequest {
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 128))]
    pub token: String,
}

/// The subscription is set up; the (3/3) mail carries the analytics ID too.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ConfirmSignupResponse {
    /// CXサポートID: 10 half-width letters and digits, the login ID.
    pub analytics_id: String,
    pub opid: String,
    pub plan: Plan,
}

/// A plan as the plan page shows it: what it unlocks, from [`PLANS`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct PlanOffer {
    pub plan: Plan,
    pub label: String,
    pub reports: Vec<ReportKind>,
    pub features: Vec<PlanFeature>,
    pub child_ids_max: u32,
    pub aggregate_months: u32,
    pub detail_months: u32,
    /// The billing phone and FD/ND numbers are required.
    pub charged: bool,
}

impl PlanOffer {
    pub fn of(terms: &PlanTerms, lang: Lang) -> Self {
        Self {
            plan: terms.plan,
            label: terms.plan.label(lang).to_owned(),
            reports: terms.reports.to_vec(),
            features: terms.features.to_vec(),
            child_ids_max: terms.child_ids_max,
            aggregate_months: terms.aggregate_months,
            detail_months: terms.detail_months,
            charged: terms.charged,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct PlanList {
    pub items: Vec<PlanOffer>,
}

/// A child ID to issue (子ID払出し): who uses it; the login ID is generated (the
/// subscription's analytics ID and a number) and the password set through a mailed link.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChildIdRequest {
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 100))]
    pub full_name: String,
    /// Where the password link and the one-time passwords go.
    #[cfg_attr(feature = "schema", schema(format = Email, max_length = 254))]
    pub email: String,
}

/// A child ID: view-only on its subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ChildId {
    pub account_id: crate::ids::AccountId,
    pub login_id: String,
    pub full_name: String,
    pub email: String,
    pub status: crate::accounts::AccountStatus,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ChildIdList {
    pub items: Vec<ChildId>,
    /// How many the plan allows.
    pub max: u32,
}

/// Disable a child ID (its sessions end) or enable it again.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChildIdChange {
    pub disabled: bool,
}

/// Rows of one own-data file at most.
pub const OWN_DATA_ROWS_MAX: usize = 10_000;
/// Bytes of one own-data file at most.
pub const OWN_DATA_BYTES_MAX: usize = 2 * 1024 * 1024;

/// One day's own figure for a number or a group (お客さま保有データ).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct OwnDataRow {
    pub day: NaiveDate,
    /// An AN of the subscription (hyphens dropped) or the name of one of its AN groups.
    pub label: String,
    pub calls: i64,
    pub seconds: Option<i64>,
}

/// A refused row of an own-data file: its line, the column and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct OwnDataError {
    /// The file's line (1 = the first).
    pub line: u32,
    /// `day`, `label`, `calls`, `seconds`, or `file` for the whole file.
    pub field: String,
    pub code: String,
    pub message: String,
}

/// What an own-data file holds (a preview when `applied` is false): the encoding read, the
/// rows, the days they replace, and every refused row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct OwnDataUpload {
    /// The encoding the file was read in.
    pub encoding: crate::extensions::CsvEncoding,
    pub rows: Vec<OwnDataRow>,
    /// The days whose stored rows the file replaces.
    pub days: Vec<NaiveDate>,
    pub errors: Vec<OwnDataError>,
    /// Stored (a clean file, not a preview).
    pub applied: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct OwnDataList {
    pub items: Vec<OwnDataRow>,
}
