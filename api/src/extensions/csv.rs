//! The seed's extension CSV files (seed 003 §3.2 一括登録, §4.2 一括削除; SPEC §8.1):
//! no header, Shift_JIS (CP932) — or UTF-8 with or without a byte-order mark when the bytes
//! can be nothing else — fields trimmed, CRLF or LF. Reading never stops at the first bad
//! row: every refused value is collected with its line and column, so that one answer lists
//! all of them (the seed's site made the customer guess, one upload at a time).
//!
//! This module knows the files and the rules; [`super::bulk`] reads the site and applies.

use std::collections::{HashMap, HashSet};

use encoding_rs::SHIFT_JIS;
use madoguchi_types::Lang;
use madoguchi_types::extensions::{
    CsvAction, CsvEncoding, CsvRowError, extension_number_shape, sip_password_shape, sip_user_shape,
    web_password_shape, web_user_shape,
};
use madoguchi_types::features::CodeItem;
use madoguchi_types::ids::{ExtensionId, MobileLineId};
use madoguchi_types::mobile::mobile_number_shape;
use madoguchi_types::validation::Invalid;

/// Largest file taken (20,000 rows of the 10-column form fit in under 2 MB).
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;
/// Most rows in one file.
pub const MAX_ROWS: usize = 20_000;
/// Most extensions of one site: the export of a full site is one file that registers back.
pub const MAX_SITE_EXTENSIONS: usize = MAX_ROWS;
/// Longest value quoted back in an error.
const VALUE_SHOWN: usize = 40;

/// The columns of a register file (A–J).
pub const REGISTER_FIELDS: [&str; 10] = [
    "extension",
    "mobile",
    "reserved1",
    "sip_id",
    "sip_password",
    "reserved2",
    "reserved3",
    "web_user",
    "web_password",
    "reserved4",
];
/// The columns of a delete file (A–C).
pub const DELETE_FIELDS: [&str; 3] = ["extension", "mobile", "reserved1"];

/// Why the file as a whole cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileFault {
    Empty,
    /// An encrypted container (the seed's FAQ: 暗号化されている).
    Encrypted,
    /// Binary, or bytes valid in no accepted encoding.
    NotText,
    /// More rows than the file may hold.
    TooManyRows {
        max: usize,
    },
}

/// Why a value or a row is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    File(FileFault),
    ColumnCount {
        found: usize,
        expected: &'static str,
    },
    /// A field's own rule (length, characters, the web password's).
    Field(Invalid),
    /// A mobile number of 10 digits starting 90/80/70: a spreadsheet dropped its 0.
    LeadingZeroLost,
    /// A reserved column holds something else than its fixed value.
    Reserved {
        expected: &'static str,
    },
    /// The same value on an earlier line of the file.
    RepeatedInFile {
        first_line: u64,
    },
    /// A value the site already has.
    OnSite,
    /// No current Office Link line of the organization, or one another extension has.
    NotInPool,
    /// Delete: no such extension on the site.
    NotOnSite,
    /// Delete: the extension has another mobile number (or none).
    MobileMismatch {
        assigned: Option<String>,
    },
    /// Delete without `force`: the extension is in these groups.
    InGroups {
        groups: Vec<String>,
    },
    /// Register: the site would hold more than [`MAX_SITE_EXTENSIONS`].
    SiteFull {
        has: usize,
    },
    /// Register: the number overlaps a feature code of the site (equal, or one begins the
    /// other).
    CodeConflict {
        item: CodeItem,
        code: String,
    },
}

impl Fault {
    pub fn code(&self) -> &'static str {
        match self {
            Self::File(FileFault::Empty) => "empty_file",
            Self::File(FileFault::Encrypted) => "encrypted",
            Self::File(FileFault::NotText) => "not_text",
            Self::File(FileFault::TooManyRows { .. }) => "too_many_rows",
            Self::ColumnCount { .. } => "column_count",
            Self::Field(invalid) => invalid.code(),
            Self::LeadingZeroLost => "leading_zero_lost",
            Self::Reserved { .. } => "reserved",
            Self::RepeatedInFile { .. } | Self::OnSite => "duplicate",
            Self::NotInPool => "not_in_pool",
            Self::NotOnSite => "not_on_site",
            Self::MobileMismatch { .. } => "mobile_mismatch",
            Self::InGroups { .. } => "in_groups",
            Self::SiteFull { .. } => "too_many_extensions",
            Self::CodeConflict { .. } => "code_conflict",
        }
    }

    /// The reason for `field`, in the seed's wording where it has one (FAQ p.45).
    pub fn message(&self, field: Option<&str>, lang: Lang) -> String {
        let is_extension = field == Some("extension");
        match (self, lang) {
            (Self::File(FileFault::Empty), Lang::Ja) => "ファイルに行がありません".into(),
            (Self::File(FileFault::Empty), Lang::En) => "The file has no rows".into(),
            (Self::File(FileFault::Encrypted), Lang::Ja) => {
                "ファイルが暗号化されています。お客さま社内規定にしたがって、暗号化を解除してください".into()
            }
            (Self::File(FileFault::Encrypted), Lang::En) => {
                "The file is encrypted: remove the encryption as your company's rules allow".into()
            }
            (Self::File(FileFault::NotText), Lang::Ja) => {
                "CSV（テキスト）ファイルではありません。文字コードがSJIS相当のCSVファイルをご利用ください".into()
            }
            (Self::File(FileFault::NotText), Lang::En) => {
                "Not a CSV text file: save it as CSV in Shift_JIS (or UTF-8)".into()
            }
            (Self::File(FileFault::TooManyRows { max }), Lang::Ja) => {
                format!("1ファイル{max}行以内にしてください")
            }
            (Self::File(FileFault::TooManyRows { max }), Lang::En) => {
                format!("A file holds at most {max} rows")
            }
            (Self::ColumnCount { found, expected }, Lang::Ja) => format!(
                "項目数が{found}個です。{expected}個の項目をカンマ(,)で区切って指定してください（カンマの数を確認してください）"
            ),
            (Self::ColumnCount { found, expected }, Lang::En) => format!(
                "{found} fields: give {expected} fields separated by commas (check the number of commas)"
            ),
            (Self::Field(Invalid::NotHalfWidth), Lang::Ja) => {
                "許容されない文字(全角文字等)が含まれています。半角で指定してください".into()
            }
            (Self::Field(Invalid::NotHalfWidth), Lang::En) => {
                "Characters that are not allowed (full-width or other): use half-width ones".into()
            }
            (Self::Field(invalid), lang) => invalid.message(lang),
            (Self::LeadingZeroLost, Lang::Ja) => {
                "携帯電話番号の先頭“0”が削除されています。先頭は“0”を指定してください（Excelでは列の表示形式を「文字列」にしてください）".into()
            }
            (Self::LeadingZeroLost, Lang::En) => {
                "The mobile number lost its leading 0 (a spreadsheet does that to numbers: format the column as text)".into()
            }
            (Self::Reserved { expected }, Lang::Ja) => format!("予約番号は“{expected}”で固定です。変更できません"),
            (Self::Reserved { expected }, Lang::En) => format!("A reserved column: it must be \"{expected}\""),
            (Self::RepeatedInFile { first_line }, Lang::Ja) if is_extension => {
                format!("233 パラメータエラー(重複登録)：{first_line}行目と同じ内線番号です")
            }
            (Self::RepeatedInFile { first_line }, Lang::En) if is_extension => {
                format!("233 Parameter error (duplicate): the same extension as line {first_line}")
            }
            (Self::RepeatedInFile { first_line }, Lang::Ja) => {
                format!("{first_line}行目と重複しています。重複を排除してください")
            }
            (Self::RepeatedInFile { first_line }, Lang::En) => {
                format!("The same value as line {first_line}: remove the duplicate")
            }
            (Self::OnSite, Lang::Ja) if is_extension => {
                "233 パラメータエラー(重複登録)：この拠点に登録済みの内線番号です".into()
            }
            (Self::OnSite, Lang::En) if is_extension => {
                "233 Parameter error (duplicate): the site has this extension already".into()
            }
            (Self::OnSite, Lang::Ja) => "この拠点で既に使用されています。重複を排除してください".into(),
            (Self::OnSite, Lang::En) => "The site uses this value already: remove the duplicate".into(),
            (Self::NotInPool, Lang::Ja) => {
                "オフィスリンク利用オプションが登録されている未割当の携帯電話番号を指定してください".into()
            }
            (Self::NotInPool, Lang::En) => {
                "Not an unassigned mobile number with the Office Link option".into()
            }
            (Self::NotOnSite, Lang::Ja) => "この拠点に登録されていない内線番号です".into(),
            (Self::NotOnSite, Lang::En) => "The site has no such extension".into(),
            (Self::MobileMismatch { assigned: Some(number) }, Lang::Ja) => {
                format!("この内線番号に割り当てられている携帯電話番号は {number} です")
            }
            (Self::MobileMismatch { assigned: Some(number) }, Lang::En) => {
                format!("The extension has mobile number {number}")
            }
            (Self::MobileMismatch { assigned: None }, Lang::Ja) => {
                "この内線番号には携帯電話番号が割り当てられていません".into()
            }
            (Self::MobileMismatch { assigned: None }, Lang::En) => "The extension has no mobile number".into(),
            (Self::SiteFull { has }, Lang::Ja) => format!(
                "1拠点の内線番号は{MAX_SITE_EXTENSIONS}件までです（登録済み{has}件）"
            ),
            (Self::SiteFull { has }, Lang::En) => format!(
                "A site holds at most {MAX_SITE_EXTENSIONS} extensions (it has {has})"
            ),
            (Self::CodeConflict { item, code }, lang) => crate::extensions::features::Overlap {
                field: "number".to_owned(),
                value: String::new(),
                item: *item,
                item_value: code.clone(),
            }
            .against(lang),
            (Self::InGroups { groups }, Lang::Ja) => format!(
                "グループに所属しています（{}）。グループから外すか、強制削除を指定してください",
                groups.join("、")
            ),
            (Self::InGroups { groups }, Lang::En) => format!(
                "In groups ({}): remove it from them, or delete with force",
                groups.join(", ")
            ),
        }
    }
}

/// A refused value (or row, or file) and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowFault {
    /// 1 = the first line; 0 = the file.
    pub line: u64,
    /// 0 = column A.
    pub column: Option<usize>,
    pub field: Option<&'static str>,
    pub value: Option<String>,
    pub fault: Fault,
}

impl RowFault {
    /// A value the site refuses (numbers and user names: never a password).
    pub fn at(line: u64, column: usize, field: &'static str, value: &str, fault: Fault) -> Self {
        Self {
            line,
            column: Some(column),
            field: Some(field),
            value: Some(value.to_owned()),
            fault,
        }
    }

    pub fn file(fault: FileFault) -> Self {
        Self {
            line: 0,
            column: None,
            field: None,
            value: None,
            fault: Fault::File(fault),
        }
    }

    pub fn dto(&self, lang: Lang) -> CsvRowError {
        CsvRowError {
            line: self.line,
            column: self
                .column
                .and_then(|index| u8::try_from(index).ok())
                .map(|index| char::from(b'A' + index).to_string()),
            field: self.field.map(str::to_owned),
            value: self.value.clone(),
            code: self.fault.code().to_owned(),
            message: self.fault.message(self.field, lang),
        }
    }
}

/// A file's text and the encoding it was read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub encoding: CsvEncoding,
    pub text: String,
}

/// Reads the bytes as text: UTF-8 with a BOM, strict UTF-8 (ASCII when nothing else), then
/// strict Shift_JIS. Encrypted containers and binary files are named as such.
pub fn decode(bytes: &[u8]) -> Result<Decoded, FileFault> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(FileFault::Empty);
    }
    if is_encrypted(bytes) {
        return Err(FileFault::Encrypted);
    }
    // NUL and other control bytes appear in no CSV text (tab, CR, LF and the old EOF mark
    // Ctrl-Z aside), in either encoding.
    if bytes
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n' | 0x1a) || b == 0x7f)
    {
        return Err(FileFault::NotText);
    }
    let (encoding, text) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = std::str::from_utf8(rest).map_err(|_| FileFault::NotText)?;
        (CsvEncoding::Utf8Bom, text.to_owned())
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        let encoding = if text.is_ascii() {
            CsvEncoding::Ascii
        } else {
            CsvEncoding::Utf8
        };
        (encoding, text.to_owned())
    } else {
        let text = SHIFT_JIS
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or(FileFault::NotText)?;
        (CsvEncoding::ShiftJis, text.into_owned())
    };
    let text = text.trim_end_matches('\u{1a}').to_owned();
    if text.trim().is_empty() {
        return Err(FileFault::Empty);
    }
    Ok(Decoded { encoding, text })
}

/// Signatures of encrypted files a customer's tools produce: Office documents protected by
/// a password (an OLE compound file), ZIP archives with an encrypted entry, OpenSSL's
/// `enc` output and OpenPGP messages.
fn is_encrypted(bytes: &[u8]) -> bool {
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    // An OLE file is a password-protected Office document when it holds the
    // `EncryptedPackage` stream (its directory names are UTF-16LE); a plain `.xls` is
    // not encrypted, only not CSV.
    const ENCRYPTED_PACKAGE: &[u8] = b"E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
    if bytes.starts_with(OLE) {
        return bytes
            .windows(ENCRYPTED_PACKAGE.len())
            .any(|window| window == ENCRYPTED_PACKAGE);
    }
    if bytes.starts_with(b"Salted__") {
        return true;
    }
    if bytes.starts_with(b"-----BEGIN PGP MESSAGE-----") {
        return true;
    }
    // ZIP local file header: general-purpose flag bit 0 = encrypted.
    if bytes.starts_with(b"PK\x03\x04") {
        return bytes.get(6).is_some_and(|flags| flags & 1 == 1);
    }
    false
}

/// The file's rows: (line, trimmed fields). Blank lines and rows of empty fields (a
/// spreadsheet's `,,,`) are skipped.
pub fn records(text: &str) -> Result<Vec<(u64, Vec<String>)>, FileFault> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = ::csv::StringRecord::new();
    // The reader's own line count is off after CRLF; lines are counted from the record's
    // byte offset instead (past the line ends of skipped blank lines), incrementally.
    let bytes = text.as_bytes();
    let (mut counted_to, mut line) = (0_usize, 1_u64);
    loop {
        // The text is valid UTF-8 and the reader flexible: only I/O could fail, and a
        // slice does not.
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(_) => return Err(FileFault::NotText),
        }
        let mut start = record
            .position()
            .map_or(counted_to, |position| {
                usize::try_from(position.byte()).unwrap_or(counted_to)
            })
            .max(counted_to);
        while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            start += 1;
        }
        let start = start.min(bytes.len());
        line += line_breaks(&bytes[counted_to..start], bytes.get(start).copied());
        counted_to = start;
        // Half-width spaces and tabs only: a full-width space is a full-width character,
        // refused like any other.
        let fields: Vec<String> = record
            .iter()
            .map(|field| field.trim_matches([' ', '\t']).to_owned())
            .collect();
        if fields.iter().all(String::is_empty) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(FileFault::TooManyRows { max: MAX_ROWS });
        }
        rows.push((line, fields));
    }
    if rows.is_empty() {
        return Err(FileFault::Empty);
    }
    Ok(rows)
}

/// The line breaks in `span` (CRLF, LF, or a lone CR as old Mac tools write), `next` being
/// the byte after it.
fn line_breaks(span: &[u8], next: Option<u8>) -> u64 {
    let mut count = 0;
    for (index, byte) in span.iter().enumerate() {
        let following = span.get(index + 1).copied().or(next);
        if *byte == b'\n' || (*byte == b'\r' && following != Some(b'\n')) {
            count += 1;
        }
    }
    count
}

/// One extension to register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterRow {
    pub line: u64,
    pub number: String,
    /// The mobile number to assign (11 digits), if any.
    pub mobile: Option<String>,
    pub sip_user: String,
    /// Whether the file named the SIP id (else it is the number, and a repeated number
    /// says it all).
    pub sip_user_given: bool,
    pub sip_password: String,
    /// The short form has neither: the web user is the number and the password is made up
    /// (the export gives it).
    pub web_user: String,
    pub web_password: Option<String>,
}

/// One extension to delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteRow {
    pub line: u64,
    pub number: String,
    pub mobile: Option<String>,
}

/// The rows of a file that passed, and every fault found.
#[derive(Debug, Clone)]
pub struct Checked<T> {
    pub rows: Vec<T>,
    pub faults: Vec<RowFault>,
}

impl<T> Default for Checked<T> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            faults: Vec::new(),
        }
    }
}

struct RowCheck<'a> {
    line: u64,
    fields: &'a [String],
    names: &'static [&'static str],
    faults: Vec<RowFault>,
}

impl<'a> RowCheck<'a> {
    fn value(&self, column: usize) -> &'a str {
        self.fields.get(column).map_or("", String::as_str)
    }

    fn fault(&mut self, column: usize, fault: Fault) {
        let value = self.value(column);
        let field = self.names.get(column).copied();
        self.faults.push(RowFault {
            line: self.line,
            column: Some(column),
            field,
            value: shown(field, value),
            fault,
        });
    }

    fn rule(&mut self, column: usize, result: Result<(), Invalid>) -> bool {
        match result {
            Ok(()) => true,
            Err(invalid) => {
                self.fault(column, Fault::Field(invalid));
                false
            }
        }
    }

    fn extension(&mut self, column: usize) -> Option<String> {
        let value = self.value(column);
        self.rule(column, extension_number_shape(value))
            .then(|| value.to_owned())
    }

    /// An optional mobile number: hyphens dropped, a lost leading 0 named.
    fn mobile(&mut self, column: usize) -> Result<Option<String>, ()> {
        let value = self.value(column);
        if value.is_empty() {
            return Ok(None);
        }
        if !value.is_ascii() {
            self.fault(column, Fault::Field(Invalid::NotHalfWidth));
            return Err(());
        }
        let digits: String = value.chars().filter(|c| *c != '-').collect();
        let zero_lost = digits.len() == 10
            && digits.bytes().all(|b| b.is_ascii_digit())
            && ["90", "80", "70"].iter().any(|prefix| digits.starts_with(prefix));
        if zero_lost {
            self.fault(column, Fault::LeadingZeroLost);
            return Err(());
        }
        if self.rule(column, mobile_number_shape(&digits)) {
            Ok(Some(digits))
        } else {
            Err(())
        }
    }

    /// Reserved number 1: all zeros, ten (the seed's sample) or twelve (its table).
    fn reserved1(&mut self, column: usize) -> bool {
        let value = self.value(column);
        let zeros = value.bytes().all(|b| b == b'0');
        if zeros && (value.len() == 10 || value.len() == 12) {
            true
        } else {
            self.fault(
                column,
                Fault::Reserved {
                    expected: "000000000000",
                },
            );
            false
        }
    }

    /// Reserved numbers 2–4: `0`, or empty (then `0`).
    fn reserved_zero(&mut self, column: usize) -> bool {
        if matches!(self.value(column), "" | "0") {
            true
        } else {
            self.fault(column, Fault::Reserved { expected: "0" });
            false
        }
    }

    fn column_count(&mut self, expected: &'static str) {
        // The first field names the row; the others may be passwords.
        self.faults.push(RowFault {
            line: self.line,
            column: None,
            field: None,
            value: shown(None, self.value(0)),
            fault: Fault::ColumnCount {
                found: self.fields.len(),
                expected,
            },
        });
    }
}

/// The values of a row that passed their own rules, for the repeats inside the file (a row
/// refused for another value still names its repeated extension).
#[derive(Default)]
struct Keys {
    line: u64,
    number: Option<String>,
    sip_user: Option<String>,
    sip_user_given: bool,
    mobile: Option<String>,
}

/// A refused value as quoted back: at most [`VALUE_SHOWN`] characters, never a password
/// (an answer, a job's stored problem and a log line must not hold one).
fn shown(field: Option<&str>, value: &str) -> Option<String> {
    if value.is_empty() || matches!(field, Some("sip_password" | "web_password")) {
        return None;
    }
    Some(value.chars().take(VALUE_SHOWN).collect())
}

/// Checks every row of a register file on its own and against the file's other rows.
pub fn check_register(records: &[(u64, Vec<String>)]) -> Checked<RegisterRow> {
    let mut checked = Checked::default();
    let mut keys = Vec::with_capacity(records.len());
    for (line, fields) in records {
        let mut row = RowCheck {
            line: *line,
            fields,
            names: &REGISTER_FIELDS,
            faults: Vec::new(),
        };
        let mut key = Keys {
            line: *line,
            ..Keys::default()
        };
        let parsed = match fields.len() {
            10 => {
                let number = row.extension(0);
                let mobile = row.mobile(1);
                let reserved =
                    row.reserved1(2) & row.reserved_zero(5) & row.reserved_zero(6) & row.reserved_zero(9);
                // An empty SIP id or password is the number: with a bad number, the
                // number's fault says it all.
                let default = number.clone().unwrap_or_default();
                let sip_user = non_empty_or(row.value(3), &default);
                let sip_user_ok = sip_user.is_empty() || row.rule(3, sip_user_shape(&sip_user));
                let sip_password = non_empty_or(row.value(4), &default);
                let sip_password_ok =
                    sip_password.is_empty() || row.rule(4, sip_password_shape(&sip_password));
                let web_user = row.value(7).to_owned();
                let web_user_ok = row.rule(7, web_user_shape(&web_user));
                let web_password = row.value(8).to_owned();
                let web_password_ok = row.rule(8, web_password_shape(&web_password, &web_user));
                key.number.clone_from(&number);
                key.sip_user = (sip_user_ok && !sip_user.is_empty()).then(|| sip_user.clone());
                key.sip_user_given = !row.value(3).is_empty();
                key.mobile = mobile.clone().ok().flatten();
                match (number, mobile) {
                    (Some(number), Ok(mobile))
                        if reserved && sip_user_ok && sip_password_ok && web_user_ok && web_password_ok =>
                    {
                        Some(RegisterRow {
                            line: *line,
                            number,
                            mobile,
                            sip_user_given: !row.value(3).is_empty(),
                            sip_user,
                            sip_password,
                            web_user,
                            web_password: Some(web_password),
                        })
                    }
                    _ => None,
                }
            }
            2 => {
                let number = row.extension(0);
                let mobile = row.mobile(1);
                key.number.clone_from(&number);
                key.sip_user.clone_from(&number);
                key.mobile = mobile.clone().ok().flatten();
                match (number, mobile) {
                    (Some(number), Ok(mobile)) => Some(RegisterRow {
                        line: *line,
                        sip_user: number.clone(),
                        sip_user_given: false,
                        sip_password: number.clone(),
                        web_user: number.clone(),
                        web_password: None,
                        number,
                        mobile,
                    }),
                    _ => None,
                }
            }
            _ => {
                row.column_count("10（または2）");
                None
            }
        };
        checked.faults.append(&mut row.faults);
        checked.rows.extend(parsed);
        keys.push(key);
    }
    let mut numbers = FirstSeen::default();
    let mut sip_users = FirstSeen::default();
    let mut mobiles = FirstSeen::default();
    let mut repeated = HashSet::new();
    for key in &keys {
        let faults = &mut checked.faults;
        let before = faults.len();
        if let Some(number) = &key.number {
            numbers.check(number, key.line, 0, "extension", faults);
        }
        let number_repeated = faults.len() > before;
        if let Some(sip_user) = &key.sip_user
            && (key.sip_user_given || !number_repeated)
        {
            sip_users.check(sip_user, key.line, 3, "sip_id", faults);
        }
        if let Some(mobile) = &key.mobile {
            mobiles.check(mobile, key.line, 1, "mobile", faults);
        }
        if faults.len() > before {
            repeated.insert(key.line);
        }
    }
    checked.rows.retain(|row| !repeated.contains(&row.line));
    checked.faults.sort_by_key(|fault| (fault.line, fault.column));
    checked
}

/// Checks every row of a delete file on its own and against the file's other rows.
pub fn check_delete(records: &[(u64, Vec<String>)]) -> Checked<DeleteRow> {
    let mut checked = Checked::default();
    for (line, fields) in records {
        let mut row = RowCheck {
            line: *line,
            fields,
            names: &DELETE_FIELDS,
            faults: Vec::new(),
        };
        let parsed = if fields.len() == 3 {
            let number = row.extension(0);
            let mobile = row.mobile(1);
            let reserved = row.reserved1(2);
            match (number, mobile) {
                (Some(number), Ok(mobile)) if reserved => Some(DeleteRow {
                    line: *line,
                    number,
                    mobile,
                }),
                _ => None,
            }
        } else {
            row.column_count("3");
            None
        };
        checked.faults.append(&mut row.faults);
        checked.rows.extend(parsed);
    }
    let mut numbers = FirstSeen::default();
    let mut repeated = HashSet::new();
    for row in &checked.rows {
        let before = checked.faults.len();
        numbers.check(&row.number, row.line, 0, "extension", &mut checked.faults);
        if checked.faults.len() > before {
            repeated.insert(row.line);
        }
    }
    checked.rows.retain(|row| !repeated.contains(&row.line));
    checked.faults.sort_by_key(|fault| (fault.line, fault.column));
    checked
}

fn non_empty_or(value: &str, default: &str) -> String {
    if value.is_empty() { default } else { value }.to_owned()
}

/// The first line of each value, to name repeats.
#[derive(Default)]
struct FirstSeen(HashMap<String, u64>);

impl FirstSeen {
    fn check(
        &mut self,
        value: &str,
        line: u64,
        column: usize,
        field: &'static str,
        faults: &mut Vec<RowFault>,
    ) {
        match self.0.get(value) {
            Some(&first_line) => faults.push(RowFault {
                line,
                column: Some(column),
                field: Some(field),
                value: Some(value.to_owned()),
                fault: Fault::RepeatedInFile { first_line },
            }),
            None => {
                self.0.insert(value.to_owned(), line);
            }
        }
    }
}

/// What the site has, for the checks against it.
#[derive(Debug, Clone, Default)]
pub struct SiteState {
    /// Extension number → its id and mobile number.
    pub extensions: HashMap<String, (ExtensionId, Option<String>)>,
    /// The line each extension holds as read (a delete checks nobody moved it since).
    pub lines: HashMap<ExtensionId, Option<MobileLineId>>,
    pub sip_users: HashSet<String>,
    /// Unassigned current Office Link lines of the organization, by number.
    pub pool: HashMap<String, MobileLineId>,
    /// The groups of each grouped extension.
    pub groups: HashMap<ExtensionId, Vec<String>>,
    /// The codes a new number must not overlap (feature codes, the park-hold code).
    pub codes: Vec<(CodeItem, String)>,
}

impl SiteState {
    /// Faults of register rows against the site.
    pub fn check_register(&self, rows: &[RegisterRow]) -> Vec<RowFault> {
        let mut faults = Vec::new();
        if self.extensions.len() + rows.len() > MAX_SITE_EXTENSIONS {
            faults.push(RowFault {
                line: 0,
                column: None,
                field: None,
                value: None,
                fault: Fault::SiteFull {
                    has: self.extensions.len(),
                },
            });
        }
        for row in rows {
            let mut fault = |column: usize, field: &'static str, value: &str, fault: Fault| {
                faults.push(RowFault::at(row.line, column, field, value, fault));
            };
            let number_taken = self.extensions.contains_key(&row.number);
            if number_taken {
                fault(0, "extension", &row.number, Fault::OnSite);
            }
            for overlap in
                crate::extensions::features::extension_overlaps(&self.codes, &row.number, "extension")
            {
                fault(
                    0,
                    "extension",
                    &row.number,
                    Fault::CodeConflict {
                        item: overlap.item,
                        code: overlap.item_value,
                    },
                );
            }
            if let Some(mobile) = &row.mobile
                && !self.pool.contains_key(mobile)
            {
                fault(1, "mobile", mobile, Fault::NotInPool);
            }
            if self.sip_users.contains(&row.sip_user) && (row.sip_user_given || !number_taken) {
                fault(3, "sip_id", &row.sip_user, Fault::OnSite);
            }
        }
        faults
    }

    /// Faults of delete rows against the site.
    pub fn check_delete(&self, rows: &[DeleteRow], force: bool) -> Vec<RowFault> {
        let mut faults = Vec::new();
        for row in rows {
            let mut fault = |column: usize, field: &'static str, value: &str, fault: Fault| {
                faults.push(RowFault::at(row.line, column, field, value, fault));
            };
            let Some((id, assigned)) = self.extensions.get(&row.number) else {
                fault(0, "extension", &row.number, Fault::NotOnSite);
                continue;
            };
            if let Some(mobile) = &row.mobile
                && assigned.as_ref() != Some(mobile)
            {
                fault(
                    1,
                    "mobile",
                    mobile,
                    Fault::MobileMismatch {
                        assigned: assigned.clone(),
                    },
                );
            }
            if !force && let Some(groups) = self.groups.get(id).filter(|groups| !groups.is_empty()) {
                fault(
                    0,
                    "extension",
                    &row.number,
                    Fault::InGroups {
                        groups: groups.clone(),
                    },
                );
            }
        }
        faults
    }
}

/// Reads a file for `action` up to the site checks: its encoding, rows and faults.
pub fn read(
    bytes: &[u8],
    action: CsvAction,
) -> Result<(CsvEncoding, ReadRows), (Option<CsvEncoding>, Vec<RowFault>)> {
    let decoded = decode(bytes).map_err(|fault| (None, vec![RowFault::file(fault)]))?;
    let encoding = decoded.encoding;
    let records = records(&decoded.text).map_err(|fault| (Some(encoding), vec![RowFault::file(fault)]))?;
    let (rows, faults) = match action {
        CsvAction::Register => {
            let checked = check_register(&records);
            (ReadRows::Register(checked.rows), checked.faults)
        }
        CsvAction::Delete => {
            let checked = check_delete(&records);
            (ReadRows::Delete(checked.rows), checked.faults)
        }
    };
    if faults.is_empty() {
        Ok((encoding, rows))
    } else {
        Err((Some(encoding), faults))
    }
}

/// The valid rows of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadRows {
    Register(Vec<RegisterRow>),
    Delete(Vec<DeleteRow>),
}

impl ReadRows {
    pub fn len(&self) -> usize {
        match self {
            Self::Register(rows) => rows.len(),
            Self::Delete(rows) => rows.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One extension as a row of the 10-column register file (the export).
pub fn register_line(
    number: &str,
    mobile: Option<&str>,
    sip_user: &str,
    sip_password: &str,
    web_user: &str,
    web_password: &str,
) -> String {
    format!(
        "{number},{},000000000000,{sip_user},{sip_password},0,0,{web_user},{web_password},0\r\n",
        mobile.unwrap_or("")
    )
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn sjis(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = SHIFT_JIS.encode(text);
        assert!(!unmappable, "{text}");
        bytes.into_owned()
    }

    fn codes(faults: &[RowFault]) -> Vec<(u64, Option<usize>, &'static str)> {
        faults
            .iter()
            .map(|fault| (fault.line, fault.column, fault.fault.code()))
            .collect()
    }

    const GOOD: &str = "2001,09012345678,0000000000,sip2001,pass2001,0,0,tanaka,Abcd1234,0";

    #[test]
    fn reads_shift_jis_utf8_with_and_without_bom_and_ascii() {
        let ascii = decode(GOOD.as_bytes()).expect("ascii");
        assert_eq!(ascii.encoding, CsvEncoding::Ascii);
        let japanese = format!("{GOOD}\n2002,０９０,0000000000,,,0,0,山田,Abcd1234,0");
        assert_eq!(
            decode(&sjis(&japanese)).expect("sjis").encoding,
            CsvEncoding::ShiftJis
        );
        assert_eq!(
            decode(japanese.as_bytes()).expect("utf-8").encoding,
            CsvEncoding::Utf8
        );
        let bom = [b"\xEF\xBB\xBF".as_slice(), japanese.as_bytes()].concat();
        let decoded = decode(&bom).expect("bom");
        assert_eq!(decoded.encoding, CsvEncoding::Utf8Bom);
        assert!(
            decoded.text.starts_with("2001"),
            "the BOM is not part of the text"
        );
        // ソ (0x83 0x5C) has a backslash as its second byte: decoding first keeps it whole.
        assert_eq!(decode(&sjis("2001,ソ")).expect("sjis").text, "2001,ソ");
    }

    #[test]
    fn refuses_empty_binary_and_encrypted_files() {
        assert_eq!(decode(b""), Err(FileFault::Empty));
        assert_eq!(decode(b" \r\n\r\n"), Err(FileFault::Empty));
        assert_eq!(decode(b"\xEF\xBB\xBF"), Err(FileFault::Empty));
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Err(FileFault::NotText));
        assert_eq!(
            decode(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0"),
            Err(FileFault::Encrypted)
        );
        assert_eq!(decode(b"PK\x03\x04\x14\x00\x01\x00"), Err(FileFault::Encrypted));
        assert_eq!(decode(b"PK\x03\x04\x14\x00\x00\x00"), Err(FileFault::NotText));
        assert_eq!(decode(b"Salted__\x12\x34"), Err(FileFault::Encrypted));
        // 0x85 0x40 is no character in CP932 and no UTF-8.
        assert_eq!(decode(b"2001,\x85\x40"), Err(FileFault::NotText));
    }

    #[test]
    fn the_seed_samples_pass_trimmed_in_any_line_ending() {
        let text = format!(
            "{GOOD}\r\n2002 , 080-1234-5678 ,000000000000,,,0,0,suzuki,Wxyz9876,0\n2003,,0000000000,,,,,sato,Pass0003,\n\n,,,\n"
        );
        let rows = records(&text).expect("rows");
        assert_eq!(
            rows.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        let checked = check_register(&rows);
        assert_eq!(codes(&checked.faults), vec![]);
        assert_eq!(checked.rows.len(), 3);
        assert_eq!(checked.rows[1].number, "2002");
        assert_eq!(checked.rows[1].mobile.as_deref(), Some("08012345678"));
        assert_eq!(
            checked.rows[1].sip_user, "2002",
            "the SIP id defaults to the number"
        );
        assert_eq!(checked.rows[1].sip_password, "2002");
        assert_eq!(checked.rows[2].mobile, None);
        let short = check_register(&records("3001,07011112222").expect("rows"));
        assert_eq!(short.rows[0].web_user, "3001");
        assert_eq!(short.rows[0].web_password, None);
        let delete = check_delete(
            &records("3001,09012340001,0000000000   \r\n3002,09012340002,000000000000").expect("rows"),
        );
        assert_eq!(codes(&delete.faults), vec![]);
        assert_eq!(delete.rows.len(), 2);
    }

    #[test]
    fn every_bad_value_of_every_row_is_named() {
        let text = [
            GOOD,
            "２００２,9012345678,0000000000,,,0,0,web2,Abcd1234,0",
            "2003,09012345679,00000000,,,1,0,web3,web3web3,0",
            "2001,09012345678,0000000000,sip2001,,0,0,web4,Abcd12345,0",
            "2005,09012345670",
            "2006,09012345671,0000000000",
            "0120,09012345672",
            "2008,09012345673,0000000000,ｓｉｐ,,0,0,web8,Abcd1234,0",
        ]
        .join("\r\n");
        let checked = check_register(&records(&text).expect("rows"));
        assert_eq!(
            codes(&checked.faults),
            vec![
                (2, Some(0), "not_half_width"),
                (2, Some(1), "leading_zero_lost"),
                (3, Some(2), "reserved"),
                (3, Some(5), "reserved"),
                (4, Some(0), "duplicate"),
                (4, Some(1), "duplicate"),
                (4, Some(3), "duplicate"),
                (4, Some(8), "too_long"),
                (6, None, "column_count"),
                (7, Some(0), "invalid_format"),
                (8, Some(3), "not_half_width"),
            ]
        );
        let duplicate = &checked.faults[4];
        assert_eq!(
            duplicate.dto(Lang::Ja).message,
            "233 パラメータエラー(重複登録)：1行目と同じ内線番号です"
        );
        assert_eq!(duplicate.dto(Lang::Ja).column.as_deref(), Some("A"));
        assert!(checked.faults[1].dto(Lang::Ja).message.contains("先頭“0”"));
        assert_eq!(checked.rows.len(), 2, "rows 1 and 5 pass");
    }

    #[test]
    fn line_numbers_follow_the_file_across_crlf_blank_lines_and_quoted_breaks() {
        let text = "2001,\r\n2002,\r\n\r\n2003,\n\"20\n04\",\n,,\n2005,";
        let lines: Vec<u64> = records(text)
            .expect("rows")
            .iter()
            .map(|(line, _)| *line)
            .collect();
        assert_eq!(lines, vec![1, 2, 4, 5, 8]);
    }

    #[test]
    fn lone_carriage_returns_end_lines_and_full_width_spaces_are_refused() {
        let lines: Vec<u64> = records("2001,\r2002,\r\r2003,")
            .expect("rows")
            .iter()
            .map(|(line, _)| *line)
            .collect();
        assert_eq!(lines, vec![1, 2, 4]);
        let checked = check_register(&records("2001\u{3000},09012345678").expect("rows"));
        assert_eq!(codes(&checked.faults), vec![(1, Some(0), "not_half_width")]);
        let trimmed = check_register(&records(" 2001\t, 09012345678 ").expect("rows"));
        assert_eq!(codes(&trimmed.faults), vec![]);
    }

    #[test]
    fn passwords_are_never_quoted_back() {
        let checked = check_register(
            &records("2001,,0000000000,,secret_pw,0,0,web1,Secret_1,0\n2002,,0000000000,,pw2,0,0,web2,Secret22,0,extra")
                .expect("rows"),
        );
        assert_eq!(
            codes(&checked.faults),
            vec![
                (1, Some(4), "invalid_format"),
                (1, Some(8), "invalid_format"),
                (2, None, "column_count")
            ]
        );
        for fault in &checked.faults {
            let value = fault.value.clone().unwrap_or_default();
            assert!(
                !value.contains("secret") && !value.contains("Secret"),
                "{fault:?}"
            );
        }
        assert_eq!(checked.faults[2].value.as_deref(), Some("2002"));
    }

    #[test]
    fn a_plain_excel_file_is_not_called_encrypted() {
        let mut xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0".to_vec();
        xls.extend_from_slice(b"W\0o\0r\0k\0b\0o\0o\0k\0");
        assert_eq!(decode(&xls), Err(FileFault::NotText));
        let mut protected = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0".to_vec();
        protected.extend_from_slice(b"E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0");
        assert_eq!(decode(&protected), Err(FileFault::Encrypted));
    }

    #[test]
    fn web_password_equal_to_the_user_is_refused() {
        let checked = check_register(&records("2001,,0000000000,,,0,0,tanaka01,tanaka01,0").expect("rows"));
        assert_eq!(codes(&checked.faults), vec![(1, Some(8), "equals_user_name")]);
    }

    #[test]
    fn site_checks_name_duplicates_pool_and_groups() {
        let mut site = SiteState::default();
        site.extensions
            .insert("2001".into(), (ExtensionId(1), Some("09000000001".into())));
        site.extensions.insert("2002".into(), (ExtensionId(2), None));
        site.sip_users.insert("sip9".into());
        site.pool.insert("09000000002".into(), MobileLineId(7));
        site.groups.insert(ExtensionId(2), vec!["営業".into()]);
        let rows = check_register(
            &records("2001,09000000002,0000000000,,,0,0,a,Abcd1234,0\n2003,09000000003,0000000000,sip9,,0,0,b,Abcd1234,0")
                .expect("rows"),
        )
        .rows;
        assert_eq!(
            codes(&site.check_register(&rows)),
            vec![
                (1, Some(0), "duplicate"),
                (2, Some(1), "not_in_pool"),
                (2, Some(3), "duplicate")
            ]
        );
        let rows = check_delete(
            &records("2001,09000000009,0000000000\n2002,,0000000000\n2004,,0000000000").expect("rows"),
        )
        .rows;
        assert_eq!(
            codes(&site.check_delete(&rows, false)),
            vec![
                (1, Some(1), "mobile_mismatch"),
                (2, Some(0), "in_groups"),
                (3, Some(0), "not_on_site")
            ]
        );
        assert_eq!(
            codes(&site.check_delete(&rows, true)).len(),
            2,
            "force lets grouped ones go"
        );
        let full = SiteState {
            extensions: (0..MAX_SITE_EXTENSIONS)
                .map(|n| (format!("{}", 200_000 + n), (ExtensionId(n as i64), None)))
                .collect(),
            ..SiteState::default()
        };
        let one = check_register(&records("3001,").expect("rows")).rows;
        assert_eq!(
            codes(&full.check_register(&one)),
            vec![(0, None, "too_many_extensions")]
        );
    }

    #[test]
    fn too_many_rows_is_a_file_fault() {
        let text = "2001,\n".repeat(MAX_ROWS + 1);
        assert_eq!(records(&text), Err(FileFault::TooManyRows { max: MAX_ROWS }));
    }

    #[test]
    fn an_exported_line_reads_back_as_itself() {
        let line = register_line("2001", Some("09012345678"), "s1", "p1", "webuser", "Abcd1234");
        let checked = check_register(&records(&line).expect("rows"));
        assert_eq!(codes(&checked.faults), vec![]);
        let row = &checked.rows[0];
        assert_eq!(
            (
                row.number.as_str(),
                row.mobile.as_deref(),
                row.sip_user.as_str(),
                row.sip_password.as_str(),
                row.web_user.as_str(),
                row.web_password.as_deref()
            ),
            (
                "2001",
                Some("09012345678"),
                "s1",
                "p1",
                "webuser",
                Some("Abcd1234")
            )
        );
    }

    proptest! {
        /// Whatever the bytes, reading answers rows or faults and never panics.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            for action in [CsvAction::Register, CsvAction::Delete] {
                match read(&bytes, action) {
                    Ok((_, rows)) => prop_assert!(!rows.is_empty()),
                    Err((_, faults)) => prop_assert!(!faults.is_empty()),
                }
            }
        }

        /// Text shaped like the files (digits, commas, quotes, full-width digits, line
        /// ends) never panics either, and every fault points into the file.
        #[test]
        fn csv_like_text_never_panics(text in "[0-9０-９a-zA-Z,\" \r\n-]{0,400}") {
            for bytes in [text.as_bytes().to_vec(), SHIFT_JIS.encode(&text).0.into_owned()] {
                if let Err((_, faults)) = read(&bytes, CsvAction::Register) {
                    // Every LF and every CR may end a line.
                    let lines = text.bytes().filter(|b| matches!(b, b'\n' | b'\r')).count() as u64 + 1;
                    for fault in faults {
                        prop_assert!(fault.line <= lines, "{fault:?}");
                    }
                }
            }
        }
    }
}
