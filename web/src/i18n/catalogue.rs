//! Every text of the app, Japanese beside English, grouped by where it appears. The
//! Japanese follows the original sites' wording (seeds 000–004).

use super::{Lang, Text};

/// `NAME = ("日本語", "English"),` → `pub const NAME: Text`.
macro_rules! texts {
    ($($name:ident = ($ja:literal, $en:literal)),+ $(,)?) => {
        $(pub const $name: Text = Text::new($ja, $en);)+
    };
}

pub mod nav {
    use super::*;
    texts! {
        BRAND = ("窓口", "Madoguchi"),
        TAGLINE = ("お客様サポートポータル", "Customer support portal"),
        SKIP = ("本文へスキップ", "Skip to content"),
        MAIN = ("メインメニュー", "Main menu"),
        MENU = ("メニュー", "Menu"),
        HOME = ("ホーム", "Home"),
        MY_PAGE = ("マイページ", "My page"),
        ACCOUNTS = ("アカウント管理", "Accounts"),
        AUDIT = ("操作履歴", "Audit log"),
        ORGANIZATIONS = ("お客様管理", "Customers"),
        CONTRACTS = ("契約情報", "Contracts"),
        DOCUMENTS = ("見積・契約書類", "Documents"),
        PROJECTS = ("案件管理", "Projects"),
        PRODUCTS = ("製品サポート情報", "Product support"),
        KNOWLEDGE = ("ナレッジ", "Knowledge"),
        TICKETS = ("お問い合わせ", "Support tickets"),
        MOBILE = ("モバイル回線", "Mobile lines"),
        PBX = ("内線番号管理", "Extensions"),
        ANALYTICS = ("CXサポート", "Call analytics"),
        STATUS = ("システム状態", "System status"),
        API_DOCS = ("API 仕様", "API docs"),
        SIGN_IN = ("ログイン", "Sign in"),
        REGISTER = ("新規ユーザー登録", "Register"),
        SIGN_OUT = ("ログアウト", "Sign out"),
        SWITCH_LANGUAGE = ("English", "日本語"),
        FOOTER = ("© 窓口 — お客様サポートポータル", "© Madoguchi — customer support portal"),
    }
}

pub mod kit {
    use super::*;
    texts! {
        LOADING = ("読み込み中…", "Loading…"),
        CLOSE = ("閉じる", "Close"),
        CANCEL = ("キャンセル", "Cancel"),
        COPY = ("コピー", "Copy"),
        COPIED = ("コピーしました", "Copied"),
        SHOW = ("表示", "Show"),
        HIDE = ("隠す", "Hide"),
        REQUIRED = ("（必須）", "(required)"),
        NETWORK_ERROR = ("サーバーに接続できませんでした。通信環境をご確認ください。", "Could not reach the server. Check your connection."),
        REQUEST_ID = ("お問い合わせ用ID", "Request id"),
        PAGING = ("ページ送り", "Pages"),
        PREVIOUS = ("前へ", "Previous"),
        NEXT = ("次へ", "Next"),
        NOT_ALLOWED_TITLE = ("このページを表示する権限がありません", "You may not open this page"),
        NOT_ALLOWED_LEAD = ("必要な場合は、貴社のユーザー管理者に権限の変更をご依頼ください。", "Ask your organization's user administrator if you need it."),
        NOT_FOUND_TITLE = ("ページが見つかりません", "Page not found"),
        NOT_FOUND_LEAD = ("お探しのページは移動または削除された可能性があります。", "The page may have moved or no longer exists."),
        BACK_HOME = ("ホームへ戻る", "Back to home"),
    }

    /// `2 / 5 ページ（全 93 件）`
    pub fn page_of(lang: Lang, page: i64, pages: i64, total: i64) -> String {
        match lang {
            Lang::Ja => format!("{page} / {pages} ページ（全 {total} 件）"),
            Lang::En => format!("Page {page} of {pages} ({total} in all)"),
        }
    }
}

pub mod labels {
    use super::*;
    texts! {
        ROLE_STAFF = ("弊社担当者", "Provider staff"),
        ROLE_USER_ADMIN = ("ユーザー管理者", "User administrator"),
        ROLE_CONTRACT_MANAGER = ("契約担当者", "Contract manager"),
        ROLE_INQUIRY_ADMIN = ("問い合わせ管理者", "Inquiry administrator"),
        ROLE_INQUIRY_STAFF = ("問い合わせ担当者", "Inquiry staff"),
        STATUS_ACTIVE = ("有効", "Active"),
        STATUS_DISABLED = ("無効", "Disabled"),
        STATUS_LOCKED = ("ロック中", "Locked"),
        STATUS_PROVISIONAL = ("仮登録", "Provisional"),
        ROLE = ("権限", "Role"),
        STATUS = ("状態", "Status"),
        PBX = ("PBX管理", "PBX administration"),
        ANALYTICS = ("着信分析", "Call analytics"),
        ON = ("あり", "on"),
        OFF = ("なし", "off"),
        ACTION_REGISTERED = ("新規ユーザー登録", "Registered"),
        ACTION_REGISTRATION_CONFIRMED = ("本登録", "Registration confirmed"),
        ACTION_SIGN_IN = ("ログイン", "Signed in"),
        ACTION_SIGN_IN_FAILED = ("ログイン失敗", "Sign-in refused"),
        ACTION_ACCOUNT_LOCKED = ("アカウントロック", "Account locked"),
        ACTION_ACCOUNT_UNLOCKED = ("ロック解除", "Account unlocked"),
        ACTION_SIGN_OUT = ("ログアウト", "Signed out"),
        ACTION_REFRESH_TOKEN_REUSED = ("トークンの不正な再利用", "Refresh token replayed"),
        ACTION_PASSWORD_CHANGED = ("パスワード変更", "Password changed"),
        ACTION_PASSWORD_RESET = ("パスワード再設定", "Password reset"),
        ACTION_TWO_FACTOR_ENABLED = ("2段階認証の設定", "2-step authentication on"),
        ACTION_TWO_FACTOR_DISABLED = ("2段階認証の解除", "2-step authentication off"),
        ACTION_TWO_FACTOR_RELEASED = ("2段階認証の解除（メール紛失）", "2-step authentication released"),
        ACTION_ACCOUNT_CREATED = ("アカウント追加", "Account created"),
        ACTION_ACCOUNT_UPDATED = ("アカウント変更", "Account changed"),
        ACTION_PROFILE_UPDATED = ("プロフィール変更", "Profile changed"),
        ACTION_EMAIL_CHANGE_REQUESTED = ("連絡先メールアドレス変更の申請", "Contact email change requested"),
        ACTION_EMAIL_CHANGED = ("連絡先メールアドレス変更", "Contact email changed"),
        ACTION_API_TOKEN_CREATED = ("APIトークン作成", "API token created"),
        ACTION_API_TOKEN_REVOKED = ("APIトークン無効化", "API token revoked"),
        ACTION_PASSWORD_CHECK_FAILED = ("現在のパスワードの誤り", "Wrong current password"),
        ACTION_ORGANIZATION_CREATED = ("お客様登録", "Organization created"),
        ACTION_ORGANIZATION_RENAMED = ("お客様名変更", "Organization renamed"),
        ACTION_CONTRACT_CREATED = ("契約登録", "Contract added"),
        ACTION_CONTRACT_UPDATED = ("契約変更", "Contract changed"),
        ACTION_PROJECT_CREATED = ("案件作成", "Project created"),
        ACTION_PROJECT_UPDATED = ("案件変更", "Project changed"),
        ACTION_PROJECT_DELETED = ("案件削除", "Project deleted"),
        ACTION_PROJECT_MEMBER_ADDED = ("案件グループへの追加", "Added to a project group"),
        ACTION_PROJECT_MEMBER_REMOVED = ("案件グループからの削除", "Removed from a project group"),
        SERVICE_PRODUCT_MAINTENANCE = ("製品保守", "Product maintenance"),
        SERVICE_MANAGED_SERVICE = ("マネージドサービス", "Managed service"),
        SERVICE_HARDWARE_MAINTENANCE = ("ハードウェア保守", "Hardware maintenance"),
        SERVICE_SOFTWARE_MAINTENANCE = ("ソフトウェア保守", "Software maintenance"),
        SERVICE_OFFICE_LINK = ("Office Link", "Office Link"),
        SERVICE_BUSINESS_MOBILE = ("ビジネスモバイル", "Business Mobile"),
        SERVICE_CX_SUPPORT = ("CXサポート", "CX Support"),
        CONTRACT_ACTIVE = ("契約中", "Active"),
        CONTRACT_EXPIRED = ("契約終了", "Expired"),
        CONTRACT_CANCELLED = ("解約", "Cancelled"),
        ACTION_DOCUMENT_UPLOADED = ("書類登録", "Document uploaded"),
        ACTION_DOCUMENT_DELETED = ("書類削除", "Document deleted"),
        ACTION_CATALOG_CHANGED = ("製品情報更新", "Catalog changed"),
        ACTION_KNOWLEDGE_CHANGED = ("ナレッジ更新", "Knowledge changed"),
        ACTION_MOBILE_LINES_REGISTERED = ("モバイル回線の登録", "Mobile lines registered"),
        ACTION_MOBILE_LINE_CHANGED = ("モバイル回線の変更", "Mobile line changed"),
        ACTION_MOBILE_LINE_DELETED = ("モバイル回線の削除", "Mobile line deleted"),
        ACTION_PBX_SITE_CREATED = ("拠点の登録", "PBX site created"),
        ACTION_EXTENSION_CREATED = ("内線の登録", "Extension created"),
        ACTION_EXTENSION_CHANGED = ("内線の変更", "Extension changed"),
        ACTION_EXTENSION_DELETED = ("内線の削除", "Extension deleted"),
        ACTION_EXTENSIONS_IMPORTED = ("内線番号の一括登録", "Extensions registered by CSV"),
        ACTION_EXTENSIONS_BULK_DELETED = ("内線番号の一括削除", "Extensions deleted by CSV"),
        ACTION_EXTENSIONS_EXPORTED = ("内線番号の一括出力", "Extensions exported"),
        ACTION_EXTENSION_TRANSFERRED = ("内線番号の譲渡", "Extension transferred"),
        ACTION_EXTENSIONS_SWAPPED = ("内線番号の交換", "Extensions swapped"),
        ACTION_GROUP_CREATED = ("グループの登録", "Group created"),
        ACTION_GROUP_CHANGED = ("グループの変更", "Group changed"),
        ACTION_GROUP_DELETED = ("グループの削除", "Group deleted"),
        ACTION_FEATURE_CODES_CHANGED = ("特番・プッシュ音設定の変更", "Feature codes changed"),
        ACTION_CDR_SECRET_SET = ("通信履歴の秘密の質問の設定", "CDR secret question set"),
        ACTION_CDR_ANSWER_REFUSED = ("秘密の質問の回答誤り", "Wrong answer to the CDR secret question"),
        ACTION_CDR_ACCESS_GRANTED = ("通信履歴の参照認証", "CDR access granted"),
        ACTION_CALL_RECORDS_INGESTED = ("通信履歴の取り込み", "Call records ingested"),
        ACTION_CALL_RECORDS_DOWNLOADED = ("通信履歴のダウンロード", "Call records downloaded"),
        ACTION_ANALYTICS_SUBSCRIPTION_CREATED = ("CXサポートの契約登録", "Analytics subscription set up"),
        ACTION_ANALYTICS_PLAN_CHANGED = ("CXサポートのプラン変更", "Analytics plan changed"),
        ACTION_ANALYTICS_NUMBERS_CHANGED = ("CXサポートの番号変更", "Analytics numbers changed"),
        ACTION_ANALYTICS_GROUP_CHANGED = ("番号グループの変更", "Number group changed"),
        ACTION_ANALYTICS_CALLS_INGESTED = ("コールデータの取り込み", "Analytics calls ingested"),
        ACTION_ANALYTICS_SIGNED_UP = ("CXサポートの仮登録", "CX Support sign-up (provisional)"),
        ACTION_ANALYTICS_SIGNUP_CONFIRMED = ("CXサポートの本登録", "CX Support sign-up confirmed"),
        ACTION_ANALYTICS_CHILD_ID_CHANGED = ("子IDの変更", "Child ID changed"),
        ENTRY_DOWNLOAD = ("ダウンロード", "Downloads"),
        ENTRY_DOCUMENT = ("ドキュメント", "Documents"),
        ENTRY_SHIPPING_VERSION = ("標準出荷バージョン", "Standard shipping versions"),
        ENTRY_END_OF_SUPPORT = ("サポート終了情報", "End of support"),
        CATEGORY_QA = ("Q&A", "Q&A"),
        CATEGORY_TROUBLE_CASE = ("トラブル事例", "Trouble case"),
        CATEGORY_BUG = ("Bug情報", "Bug"),
        CATEGORY_PATCH = ("パッチ情報", "Patch"),
        CATEGORY_PRODUCT_INFO = ("製品情報", "Product information"),
        CATEGORY_SECURITY_ADVISORY = ("セキュリティ脆弱性", "Security advisory"),
        ACTION_QUOTE_ORDERED = ("発注", "Quote ordered"),
        ACTION_REQUOTE_REQUESTED = ("再見積依頼", "Re-quote requested"),
        DOCUMENT_QUOTE = ("見積書", "Quote"),
        DOCUMENT_CONTRACT = ("契約書", "Contract"),
        DOCUMENT_INVOICE = ("請求書", "Invoice"),
        DOCUMENT_PURCHASE_ORDER = ("注文書", "Purchase order"),
        HOLDER_SALES_AGENT = ("販売代理店", "Sales agent"),
        HOLDER_OPERATOR = ("運用者", "Operator"),
        HOLDER_END_USER = ("エンドユーザー", "End user"),
        REFUSED_LOCKED = ("ロック中のため拒否", "Refused: account locked"),
        BY_PASSWORD = ("パスワードで認証", "By password"),
        BY_PASSWORD_AND_CODE = ("パスワード＋ワンタイムパスワードで認証", "By password and one-time password"),
        BY_RELEASE = ("2段階認証を解除してログイン", "After releasing 2-step authentication"),
        ACTIVATED_UNCONFIRMED = ("未確認の登録を有効化", "Activated an unconfirmed registration"),
        TOKENS_REVOKED_TOO = ("APIトークンも無効化", "API tokens revoked too"),
    }

    pub fn wrong_password_in_a_row(lang: Lang, count: i64) -> String {
        match lang {
            Lang::Ja => format!("パスワードの誤り（連続{count}回目）"),
            Lang::En => format!("Wrong password ({count} in a row)"),
        }
    }

    pub fn unknown_login_id(lang: Lang, login_id: &str) -> String {
        match lang {
            Lang::Ja => format!("存在しないか無効なログインID「{login_id}」"),
            Lang::En => format!("Unknown or inactive login ID \"{login_id}\""),
        }
    }

    pub fn locked_for(lang: Lang, minutes: i64) -> String {
        match lang {
            Lang::Ja => format!("4回続けて誤り、{minutes}分間ロック"),
            Lang::En => format!("4 wrong passwords; locked for {minutes} minutes"),
        }
    }
}

pub mod home {
    use super::*;
    texts! {
        TITLE = ("窓口へようこそ", "Welcome to Madoguchi"),
        LEAD = ("お問い合わせ・障害連絡、契約・見積書・請求書、オフィスのPBX設定、携帯回線、フリーダイヤルの着信分析を、ひとつの窓口で。", "Support tickets and incidents, contracts, quotes and invoices, your office PBX, mobile lines and toll-free call analytics — in one place."),
        SIGN_IN = ("ログイン", "Sign in"),
        REGISTER = ("新規ユーザー登録", "Register"),
        AREAS_TITLE = ("できること", "What you can do"),
        SIGNED_IN_TITLE = ("ホーム", "Home"),
        STAFF_NOTE = ("弊社担当者として、すべてのお客様の情報を扱えます。", "As provider staff you work with every customer organization."),
        WHAT_YOU_CAN_DO = ("メニュー", "Your menu"),
        CARD_MY_PAGE = ("マイページ", "My page"),
        CARD_MY_PAGE_TEXT = ("プロフィール、パスワード、2段階認証、APIトークン", "Profile, password, 2-step authentication, API tokens"),
        CARD_ACCOUNTS = ("アカウント管理", "Accounts"),
        CARD_ACCOUNTS_TEXT = ("ユーザーの追加、権限の変更、ロック解除", "Add users, change roles, unlock"),
        CARD_AUDIT = ("操作履歴", "Audit log"),
        CARD_AUDIT_TEXT = ("ログインや設定変更の記録", "Sign-ins and changes, who and when"),
        CARD_STATUS = ("システム状態", "System status"),
        CARD_STATUS_TEXT = ("サービスの稼働状況", "Whether the service is up"),
    }

    pub const AREAS: [(Text, Text); 5] = [
        (
            Text::new("お問い合わせ・障害", "Tickets and incidents"),
            Text::new(
                "問い合わせや障害の連絡と、対応状況の確認",
                "Report issues and follow their progress",
            ),
        ),
        (
            Text::new("契約・見積・請求", "Contracts and invoices"),
            Text::new(
                "契約情報、見積書・契約書・請求書、更新のご注文",
                "Contracts, quotes and invoices, renewal orders",
            ),
        ),
        (
            Text::new("PBX 設定", "Office PBX"),
            Text::new(
                "内線番号、グループ、特番、通信履歴",
                "Extensions, groups, feature codes, call records",
            ),
        ),
        (
            Text::new("携帯回線", "Mobile lines"),
            Text::new("ビジネスモバイルの利用者登録と検索", "Business Mobile line users"),
        ),
        (
            Text::new("着信分析", "Call analytics"),
            Text::new(
                "フリーダイヤル・ナビダイヤルの着信分析",
                "Toll-free call traffic reports",
            ),
        ),
    ];

    pub fn greeting(lang: Lang, name: &str) -> String {
        match lang {
            Lang::Ja => format!("{name} 様、こんにちは。"),
            Lang::En => format!("Hello, {name}."),
        }
    }
}

pub mod status {
    use super::*;
    texts! {
        TITLE = ("システム状態", "System status"),
        LEAD = ("窓口の稼働状況です。", "Whether Madoguchi is up."),
        OK = ("正常に稼働しています", "All systems operational"),
        VERSION = ("バージョン", "Version"),
        DATABASE = ("データベース", "Database"),
        REACHABLE = ("接続可", "reachable"),
        LATENCY = ("応答時間", "Latency"),
        SERVER_TIME = ("サーバー時刻（日本時間）", "Server time (JST)"),
        REFRESH = ("再読み込み", "Refresh"),
    }
}

pub mod login {
    use super::*;
    texts! {
        TITLE = ("ログイン", "Sign in"),
        LOGIN_ID = ("ログインID", "Login ID"),
        PASSWORD = ("パスワード", "Password"),
        SUBMIT = ("ログイン", "Sign in"),
        LOCKOUT_RULE = ("パスワードを4回続けて間違えると、アカウントは60分間ロックされます（ご登録のメールアドレスにお知らせします）。お急ぎの場合は貴社のユーザー管理者がロックを解除できます。", "After 4 wrong passwords in a row the account is locked for 60 minutes (a notice is mailed). Your organization's user administrator can unlock it sooner."),
        FORGOT = ("ログイン情報を忘れた場合はこちら", "Forgot your login ID or password?"),
        REGISTER = ("新規ユーザー登録", "Register"),
        CODE_SENT = ("ワンタイムパスワードを送信しました: ", "We sent a one-time password to "),
        CODE = ("ワンタイムパスワード", "One-time password"),
        CODE_HINT = ("有効期限は30分です。5回間違えると無効になります。", "Valid for 30 minutes; void after 5 wrong tries."),
        VERIFY = ("認証する", "Verify"),
        CANNOT_USE_EMAIL = ("メールアドレスが使えない場合はこちら", "Cannot use this email address?"),
        RELEASE_TITLE = ("2段階認証の解除", "Release 2-step authentication"),
        REGISTERED_EMAIL = ("ご登録のメールアドレス", "Registered email"),
        CUSTOMER_NUMBER = ("お客さま番号", "Customer number"),
        CUSTOMER_NUMBER_HINT = ("Nから始まる9桁の数字", "N followed by 9 digits"),
        CONTRACTOR_NAME = ("ご契約者名", "Contractor name"),
        RELEASE = ("解除", "Release"),
    }
}

pub mod register {
    use super::*;
    texts! {
        TITLE = ("新規ユーザー登録", "Register"),
        LEAD = ("契約時にお送りしている「サポートサービス証書」をご用意ください。", "Have your support-service certificate at hand."),
        REQUIRED_NOTE = ("* は入力必須です。", "Fields marked * are required."),
        COMPANY = ("会社名", "Company name"),
        FULL_NAME = ("お名前", "Full name"),
        FULL_NAME_HINT = ("お名前をフルネームで入力してください", "Your full name"),
        LOGIN_ID = ("ログインID", "Login ID"),
        LOGIN_ID_HINT = ("半角3字以上。メールアドレスを推奨します", "At least 3 half-width characters; an email address is recommended"),
        PASSWORD = ("ログインパスワード", "Password"),
        PASSWORD_HINT = ("半角12字以上で、英大文字、英小文字、数字を各1文字以上使用してください", "At least 12 half-width characters with an upper-case letter, a lower-case letter and a digit"),
        PASSWORD_AGAIN = ("パスワード(再入力)", "Password (again)"),
        PASSWORD_AGAIN_HINT = ("確認のため、もう一度同じパスワードを入力してください", "Enter the same password again"),
        CONTACT_EMAIL = ("連絡先メールアドレス", "Contact email"),
        CONTACT_EMAIL_HINT = ("サポート担当者からの連絡を受けたいメールアドレス（保守登録メールアドレスと同じドメイン）", "Where we send notifications (same domain as the maintenance email)"),
        MAINTENANCE_EMAIL = ("保守登録メールアドレス", "Maintenance registration email"),
        MAINTENANCE_EMAIL_HINT = ("「サポートサービス証書」に記載されているメールアドレス", "An email address on your support-service certificate"),
        CONSENT = ("個人情報の取り扱いに同意する", "I agree to the handling of personal information"),
        SUBMIT = ("新規ユーザー登録", "Register"),
        DONE_TITLE = ("仮登録が完了しました", "Provisional registration completed"),
        CONFIRM_TITLE = ("本登録のお申込み", "Complete your registration"),
        CONFIRM_LEAD = ("ボタンをクリックして、本登録をお申込みください。", "Click the button to complete your registration."),
        CONFIRM = ("確定", "Confirm"),
        CONFIRMED = ("本登録が完了しました", "Your registration is complete"),
        LOGIN_ID_IS = ("ログインID: ", "Login ID: "),
        GO_SIGN_IN = ("ログインへ", "Sign in"),
        CONFIRM_FAILED_NEXT = ("本登録済みの場合はログインしてください。URLの有効期限（24時間）が切れた場合は、お手数ですが再度お申し込みください。", "If you already confirmed, sign in. If the link expired (after 24 hours), please register again."),
        REGISTER_AGAIN = ("新規ユーザー登録へ", "Register again"),
    }

    pub fn done_lead(lang: Lang, email: &str) -> String {
        match lang {
            Lang::Ja => format!(
                "{email} 宛に確認メールを送信しました。24時間以内にメール本文中の本登録URLにアクセスしてください。"
            ),
            Lang::En => format!(
                "We sent a confirmation mail to {email}. Open its link within 24 hours to complete the registration."
            ),
        }
    }
}

pub mod recovery {
    use super::*;
    texts! {
        FORGOT_TITLE = ("ログイン情報を忘れた場合", "Forgot your sign-in details"),
        FORGOT_LEAD = ("ご登録の連絡先メールアドレスにご案内をお送りします。", "We send instructions to your registered contact email."),
        WHAT = ("何を忘れましたか？", "What did you forget?"),
        LOGIN_ID = ("ログインIDを忘れました。", "My login ID"),
        PASSWORD = ("パスワードを忘れました。", "My password"),
        CONTACT_EMAIL = ("連絡先メールアドレス", "Contact email"),
        SEND = ("送信", "Send"),
        RESET_TITLE = ("パスワードの設定", "Set your password"),
        NEW_PASSWORD = ("新しいパスワード", "New password"),
        PASSWORD_AGAIN = ("パスワード(再入力)", "Password (again)"),
        PASSWORD_HINT = ("半角12字以上で、英大文字、英小文字、数字を各1文字以上使用してください", "At least 12 half-width characters with an upper-case letter, a lower-case letter and a digit"),
        SET_PASSWORD = ("設定する", "Set password"),
        RESET_DONE = ("パスワードを設定しました。", "Your password is set."),
        GO_SIGN_IN = ("ログインへ", "Sign in"),
        CONFIRM_EMAIL_TITLE = ("連絡先メールアドレスの確認", "Confirm your contact email"),
        CONFIRM_EMAIL_LEAD = ("ボタンをクリックすると、このメールアドレスが連絡先になります。", "Click the button to make this address your contact email."),
        CONFIRM = ("確定", "Confirm"),
        EMAIL_CONFIRMED = ("連絡先メールアドレスを変更しました。", "Your contact email is changed."),
        GO_MY_PAGE = ("マイページへ", "Go to my page"),
    }
}

pub mod my_page {
    use super::*;
    texts! {
        TITLE = ("マイページ", "My page"),
        PROFILE = ("プロフィール", "Profile"),
        LOGIN_ID = ("ログインID", "Login ID"),
        ROLE = ("権限", "Role"),
        ORGANIZATION = ("ご契約者", "Organization"),
        MAINTENANCE_EMAIL = ("保守登録メールアドレス", "Maintenance email"),
        FULL_NAME = ("お名前", "Full name"),
        COMPANY = ("会社名", "Company name"),
        SAVE_PROFILE = ("プロフィールを保存", "Save profile"),
        SAVED = ("保存しました。", "Saved."),
        CONTACT_EMAIL = ("連絡先メールアドレス", "Contact email"),
        CURRENT_EMAIL = ("現在: ", "Now: "),
        NEW_EMAIL = ("新しい連絡先メールアドレス", "New contact email"),
        NEW_EMAIL_HINT = ("新しいアドレスに届く確認メールのURLを開くと変更が完了します。現在のアドレスにもお知らせします。", "The change takes effect when the link mailed to the new address is opened; the current address is told."),
        CURRENT_PASSWORD = ("現在のパスワード", "Current password"),
        CURRENT_PASSWORD_HINT = ("ログインから10分以内は省略できます", "Not needed within 10 minutes of signing in"),
        CHANGE_EMAIL = ("変更を申請", "Request the change"),
        CHANGE_PASSWORD = ("パスワードの変更", "Change password"),
        NEW_PASSWORD = ("新しいパスワード", "New password"),
        NEW_PASSWORD_AGAIN = ("新しいパスワード(再入力)", "New password (again)"),
        PASSWORD_HINT = ("半角12字以上で、英大文字、英小文字、数字を各1文字以上使用してください", "At least 12 half-width characters with an upper-case letter, a lower-case letter and a digit"),
        REVOKE_TOKENS = ("APIトークンも無効にする（推奨）", "Also revoke my API tokens (recommended)"),
        CHANGE = ("変更する", "Change"),
        PASSWORD_CHANGED = ("パスワードを変更しました。他の端末はログアウトされました。", "Password changed. Other sessions were signed out."),
        TWO_FACTOR = ("2段階認証", "2-step authentication"),
        TWO_FACTOR_LEAD = ("ログインID/パスワードのほか、登録されたメールアドレスに送るワンタイムパスワードで認証します。", "Besides your password, sign-in asks for a one-time password mailed to a registered address."),
        TWO_FACTOR_OFF_STATE = ("未設定", "Off"),
        OTP_EMAIL = ("ワンタイムパスワードの送付先", "Send one-time passwords to"),
        SEND_CODE = ("確認コードを送信", "Send a code"),
        CODE = ("ワンタイムパスワード", "One-time password"),
        VERIFY = ("認証する", "Verify"),
        TWO_FACTOR_ON = ("2段階認証を設定しました。", "2-step authentication is on."),
        TWO_FACTOR_OFF = ("2段階認証を解除しました。", "2-step authentication is off."),
        PASSWORD_FOR_OFF = ("パスワード（解除の確認）", "Password (to turn it off)"),
        TURN_OFF = ("2段階認証を解除", "Turn off"),
        TURN_OFF_TITLE = ("2段階認証を解除しますか？", "Turn 2-step authentication off?"),
        TURN_OFF_MESSAGE = ("解除すると、パスワードだけでログインできるようになります。", "Signing in will then need only your password."),
        API_TOKENS = ("APIトークン", "API tokens"),
        API_TOKENS_LEAD = ("スクリプトから API を利用するためのトークンです。あなたと同じ権限を持ちます。", "Tokens for scripts calling the API. They carry your rights."),
        TOKEN_SHOWN_ONCE = ("トークンは今回のみ表示されます。安全な場所に保管してください。", "This token is shown only once. Store it safely."),
        NO_TOKENS = ("APIトークンはまだありません。スクリプトから使う場合は下のフォームで作成してください。", "No API tokens yet. Create one below for a script."),
        TOKEN_NAME = ("名前", "Name"),
        TOKEN_NAME_HINT = ("用途がわかる名前（例: 夜間バッチ）", "A name that says what it is for (e.g. nightly batch)"),
        TOKEN = ("トークン", "Token"),
        CREATED = ("作成日時", "Created"),
        LAST_USED = ("最終利用", "Last used"),
        ACTIONS = ("操作", "Actions"),
        CREATE = ("作成", "Create"),
        REVOKE = ("無効化", "Revoke"),
        REVOKE_TITLE = ("APIトークンを無効にしますか？", "Revoke this API token?"),
        TOKEN_REVOKED = ("APIトークンを無効にしました。", "The API token is revoked."),
    }

    pub fn pending(lang: Lang, email: &str) -> String {
        match lang {
            Lang::Ja => format!("{email} への変更は確認待ちです（確認メールのURLを開いてください）。"),
            Lang::En => format!("The change to {email} waits for its confirmation link to be opened."),
        }
    }

    pub fn email_confirmation_sent(lang: Lang, email: &str) -> String {
        match lang {
            Lang::Ja => format!("{email} に確認メールを送信しました。"),
            Lang::En => format!("We sent a confirmation mail to {email}."),
        }
    }

    pub fn two_factor_on(lang: Lang, hint: &str) -> String {
        match lang {
            Lang::Ja => format!("設定済み: {hint}"),
            Lang::En => format!("On: {hint}"),
        }
    }

    pub fn code_sent_to(lang: Lang, hint: &str) -> String {
        match lang {
            Lang::Ja => format!("{hint} にワンタイムパスワードを送信しました。"),
            Lang::En => format!("We sent a one-time password to {hint}."),
        }
    }

    pub fn revoke_message(lang: Lang, name: &str) -> String {
        match lang {
            Lang::Ja => format!("「{name}」を使っているスクリプトは、すぐに API を利用できなくなります。"),
            Lang::En => format!("Scripts using \"{name}\" stop working at once."),
        }
    }
}

pub mod accounts {
    use super::*;
    texts! {
        TITLE = ("アカウント管理", "Accounts"),
        SEARCH = ("検索", "Search"),
        SEARCH_HINT = ("ログインID・お名前・メールアドレスの一部", "Part of a login ID, name or email"),
        ROLE = ("権限", "Role"),
        STATUS = ("状態", "Status"),
        ALL = ("すべて", "All"),
        APPLY = ("絞り込む", "Filter"),
        NONE_FOUND = ("条件に合うアカウントはありません。条件を変えるか、下のフォームから追加してください。", "No account matches. Change the filter, or add one below."),
        LOGIN_ID = ("ログインID", "Login ID"),
        LOGIN_ID_HINT = ("半角3字以上。メールアドレスを推奨します", "At least 3 half-width characters; an email address is recommended"),
        NAME = ("お名前", "Name"),
        FULL_NAME = ("お名前", "Full name"),
        ORGANIZATION = ("ご契約者", "Organization"),
        ACTIONS = ("操作", "Actions"),
        SAVE = ("保存", "Save"),
        ROLE_SAVED = ("権限を変更しました。", "Role changed."),
        UNLOCK = ("ロック解除", "Unlock"),
        UNLOCKED = ("ロックを解除しました。", "Unlocked."),
        ENABLE = ("有効にする", "Enable"),
        ENABLED = ("アカウントを有効にしました。", "Account enabled."),
        DISABLE = ("無効にする", "Disable"),
        DISABLE_TITLE = ("アカウントを無効にしますか？", "Disable this account?"),
        DISABLED = ("アカウントを無効にしました。", "Account disabled."),
        ADD_TITLE = ("アカウントの追加", "Add an account"),
        ADD_LEAD = ("登録したメールアドレスに、パスワード設定用のURLをお送りします（72時間有効）。メールアドレスは保守契約のメールアドレスと同じドメインにしてください。", "We mail a link to set the password (valid 72 hours). The email must be in the domain of a maintenance email on your contracts."),
        EMAIL = ("メールアドレス", "Email"),
        EMAIL_HINT = ("保守契約のメールアドレスと同じドメイン", "In the domain of your contracts' maintenance email"),
        GRANT_PBX = ("PBX管理を許可する", "May administer the PBX"),
        GRANT_ANALYTICS = ("着信分析を許可する", "May use call analytics"),
        ADD = ("追加する", "Add"),
    }

    pub fn created(lang: Lang, login_id: &str) -> String {
        match lang {
            Lang::Ja => format!("{login_id} を追加しました。パスワード設定のご案内をお送りしました。"),
            Lang::En => format!("{login_id} was added; we mailed them a link to set a password."),
        }
    }

    pub fn disable_message(lang: Lang, name: &str) -> String {
        match lang {
            Lang::Ja => format!(
                "{name} 様はログインできなくなり、ログイン中のセッションとAPIトークンもすぐに無効になります。"
            ),
            Lang::En => format!("{name} can no longer sign in; their sessions and API tokens end at once."),
        }
    }

    pub fn role_of(lang: Lang, login_id: &str) -> String {
        match lang {
            Lang::Ja => format!("{login_id} の権限"),
            Lang::En => format!("Role of {login_id}"),
        }
    }
}

pub mod organizations {
    use super::*;
    texts! {
        TITLE = ("お客様管理", "Customers"),
        SEARCH = ("検索", "Search"),
        SEARCH_HINT = ("お客様番号・お客様名の一部", "Part of a customer number or name"),
        APPLY = ("絞り込む", "Filter"),
        NONE_FOUND = ("条件に合うお客様はありません。条件を変えるか、下のフォームから登録してください。", "No customer matches. Change the search, or add one below."),
        CUSTOMER_NUMBER = ("お客様番号", "Customer number"),
        CUSTOMER_NUMBER_HINT = ("N＋数字9桁（例: N123456789）", "N and 9 digits (e.g. N123456789)"),
        NAME = ("お客様名", "Name"),
        NEW_NAME = ("新しいお客様名", "New name"),
        ACCOUNTS = ("アカウント数", "Accounts"),
        ACTIVE_CONTRACTS = ("有効な契約", "Active contracts"),
        ACTIONS = ("操作", "Actions"),
        RENAME = ("名称変更", "Rename"),
        SAVE = ("保存", "Save"),
        CANCEL = ("キャンセル", "Cancel"),
        ADD_TITLE = ("お客様の登録", "Add a customer"),
        PICKER = ("ご契約者", "Organization"),
        PICKER_SEARCH = ("ご契約者の検索", "Find the organization"),
        PICKER_HINT = ("お客様番号・お客様名の一部で候補を絞り込みます", "Part of a customer number or name narrows the list"),
        CHOOSE = ("選択してください", "Choose one"),
        ALL_ORGANIZATIONS = ("すべてのお客様", "Every customer"),
        ADD = ("登録する", "Add"),
    }

    pub fn created(lang: Lang, number: &str, name: &str) -> String {
        match lang {
            Lang::Ja => format!("{number} {name} を登録しました。"),
            Lang::En => format!("{number} {name} was added."),
        }
    }

    pub fn renamed(lang: Lang, name: &str) -> String {
        match lang {
            Lang::Ja => format!("お客様名を「{name}」に変更しました。"),
            Lang::En => format!("Renamed to \u{201c}{name}\u{201d}."),
        }
    }
}

pub mod contracts {
    use super::*;
    texts! {
        TITLE = ("契約情報一覧", "Contracts"),
        DETAIL_TITLE = ("契約情報", "Contract"),
        SEARCH = ("検索", "Search"),
        SEARCH_HINT = ("契約番号・お客様名・機器のメーカー/機種/シリアル番号の一部", "Part of a contract number, customer, or an equipment's maker, model or serial number"),
        SERVICE = ("サービス", "Service"),
        STATUS = ("契約状態", "Status"),
        ENDING = ("契約終了日", "Ending"),
        ANY = ("すべて", "All"),
        WITHIN_30 = ("30日以内に終了", "Within 30 days"),
        WITHIN_90 = ("90日以内に終了", "Within 90 days"),
        WITHIN_180 = ("180日以内に終了", "Within 180 days"),
        APPLY = ("絞り込む", "Filter"),
        NONE_FOUND = ("条件に合う契約はありません。", "No contract matches."),
        NUMBER = ("契約番号", "Contract number"),
        CUSTOMER = ("ご契約者", "Customer"),
        PERIOD = ("契約期間", "Period"),
        STARTS_ON = ("契約開始日", "Start date"),
        ENDS_ON = ("契約終了日", "End date"),
        EQUIPMENT_COUNT = ("対象機器", "Equipment"),
        EMAILS = ("保守登録メールアドレス", "Maintenance emails"),
        HOLDER = ("区分", "Holder"),
        EMAIL = ("メールアドレス", "Email"),
        NO_EMAILS = ("登録されたメールアドレスはありません。", "No email is registered."),
        EQUIPMENT = ("対象機器", "Covered equipment"),
        MAKER = ("メーカー", "Maker"),
        MODEL = ("機種", "Model"),
        SERIAL = ("シリアル番号", "Serial number"),
        OS_VERSION = ("OSバージョン", "OS version"),
        NO_EQUIPMENT = ("登録された機器はありません。", "No equipment is registered."),
        PROJECTS = ("案件", "Projects"),
        NO_PROJECTS = ("この契約はどの案件にも属していません。", "The contract is in no project."),
        BACK = ("契約情報一覧へ戻る", "Back to the contracts"),
        ADD_TITLE = ("契約の登録", "Add a contract"),
        ADD = ("登録する", "Add"),
        EDIT_TITLE = ("契約の変更", "Change the contract"),
        SAVE = ("保存", "Save"),
        EMAILS_SALES_AGENT = ("販売代理店のメールアドレス", "Sales agent emails"),
        EMAILS_OPERATOR = ("運用者のメールアドレス", "Operator emails"),
        EMAILS_END_USER = ("エンドユーザーのメールアドレス", "End user emails"),
        EMAILS_HINT = ("複数ある場合はカンマで区切ってください", "Separate several with commas"),
        EQUIPMENT_EDIT = ("対象機器（1行に1台: メーカー, 機種, シリアル番号, OSバージョン）", "Covered equipment (one per line: maker, model, serial number, OS version)"),
        EQUIPMENT_HINT = ("表計算ソフトからの貼り付け（タブ区切り）もできます", "Pasting from a spreadsheet (tab-separated) works too"),
        LINE = ("行", "line"),
    }

    /// `残り 20 日` / `20 days left`; `終了` once ended.
    pub fn days_left(lang: Lang, days: i64) -> String {
        match (lang, days) {
            (Lang::Ja, d) if d < 0 => "終了".into(),
            (Lang::En, d) if d < 0 => "Ended".into(),
            (Lang::Ja, d) => format!("残り {d} 日"),
            (Lang::En, 1) => "1 day left".into(),
            (Lang::En, d) => format!("{d} days left"),
        }
    }

    pub fn created(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("契約 {number} を登録しました。"),
            Lang::En => format!("Contract {number} was added."),
        }
    }

    pub fn saved(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("契約 {number} を保存しました。"),
            Lang::En => format!("Contract {number} was saved."),
        }
    }
}

pub mod documents {
    use super::*;
    texts! {
        TITLE = ("見積書・契約書・請求書", "Quotes, contracts and invoices"),
        SEARCH = ("検索", "Search"),
        SEARCH_HINT = ("書類番号・件名の一部", "Part of a document number or title"),
        KIND = ("種類", "Kind"),
        ANY = ("すべて", "All"),
        ISSUED_FROM = ("発行日（から）", "Issued from"),
        ISSUED_TO = ("発行日（まで）", "Issued until"),
        AMOUNT_MIN = ("金額（以上）", "Amount from"),
        AMOUNT_MAX = ("金額（以下）", "Amount up to"),
        APPLY = ("絞り込む", "Filter"),
        NONE_FOUND = ("条件に合う書類はありません。", "No document matches."),
        NUMBER = ("書類番号", "Number"),
        DOCUMENT_TITLE = ("件名", "Title"),
        CONTRACT = ("契約番号", "Contract"),
        ISSUED_ON = ("発行日", "Issued on"),
        AMOUNT = ("金額（税込）", "Amount (tax incl.)"),
        AMOUNT_HINT = ("円・半角数字", "Yen, digits"),
        ACTIONS = ("操作", "Actions"),
        PREVIEW = ("プレビュー", "Preview"),
        DOWNLOAD = ("ダウンロード", "Download"),
        CLOSE_PREVIEW = ("プレビューを閉じる", "Close the preview"),
        UPLOAD_TITLE = ("書類の登録", "Upload a document"),
        FILE = ("PDFファイル", "PDF file"),
        FILE_HINT = ("PDFファイルのみ登録できます", "PDF files only"),
        UPLOAD = ("登録する", "Upload"),
        UPLOADING = ("アップロードの進み具合", "Upload progress"),
        DELETE = ("削除", "Delete"),
        DELETE_TITLE = ("この書類を削除しますか？", "Delete this document?"),
        DELETE_MESSAGE = ("PDFファイルも削除され、お客様から見えなくなります。", "Its PDF is deleted too; customers no longer see it."),
    }

    pub fn uploaded(lang: Lang, name: &str) -> String {
        match lang {
            Lang::Ja => format!("{name} を登録しました。"),
            Lang::En => format!("{name} was uploaded."),
        }
    }
}

pub mod products {
    use super::*;
    texts! {
        TITLE = ("製品サポート情報", "Product support"),
        LIST_INTRO = ("ご契約中の製品のリストです。メーカーを選択してください。", "The products your contracts cover. Choose a maker."),
        NONE = ("ご契約に登録された製品はありません。", "No product is registered on your contracts."),
        MAKERS = ("メーカー", "Makers"),
        SERIES = ("製品シリーズ", "Product series"),
        CHOOSE_MAKER = ("メーカーを選択してください。", "Choose a maker."),
        TOP = ("製品サポート情報", "Product support"),
        BREADCRUMB = ("現在の位置", "You are here"),
        SECTIONS = ("情報の種類", "Sections"),
        NOT_FOUND = ("製品シリーズが見つかりません。", "No such product series."),
        NO_ENTRIES = ("登録された情報はありません。", "Nothing is registered yet."),
        ENTRY_TITLE = ("名称", "Name"),
        VERSION = ("バージョン", "Version"),
        PUBLISHED_ON = ("公開日", "Published"),
        NOTE = ("備考", "Note"),
        EOE = ("EoE（技術サポート終了）", "EoE (end of engineering)"),
        EOL = ("EoL（サポート終了）", "EoL (end of life)"),
        FILE = ("ファイル", "File"),
        LINK = ("リンク先", "Link"),
        OPEN_LINK = ("リンクを開く", "Open the link"),
        DOWNLOAD = ("ダウンロード", "Download"),
        DELETE = ("削除", "Delete"),
        DELETE_ENTRY_TITLE = ("この情報を削除しますか？", "Delete this entry?"),
        DELETE_ENTRY_MESSAGE = ("登録されたファイルも削除されます。", "Its file is deleted too."),
        ACTIONS = ("操作", "Actions"),
        KNOWLEDGE_LINK = ("この製品のナレッジを見る", "Knowledge articles on this product"),
        ADD_MAKER = ("メーカーの追加", "Add a maker"),
        MAKER_NAME = ("メーカー名", "Maker name"),
        ADD_SERIES = ("製品シリーズの追加", "Add a product series"),
        EDIT_SERIES = ("製品シリーズの編集", "Edit the product series"),
        SERIES_NAME = ("製品シリーズ名", "Series name"),
        DESCRIPTION = ("説明", "Description"),
        MODEL_PREFIXES = ("対象型番（先頭一致、カンマ区切り）", "Models covered (prefixes, comma-separated)"),
        MODEL_PREFIXES_HINT = ("契約の機器の型番がこれで始まるお客様に表示されます（例: EX, SRX345）", "Customers whose contract equipment's model starts with one of these see the series (e.g. EX, SRX345)"),
        ADD = ("追加する", "Add"),
        SAVE = ("保存する", "Save"),
        ADD_ENTRY = ("情報の追加", "Add an entry"),
        FILE_OR_LINK = ("ファイルかリンク先のどちらかを指定してください（ダウンロード・ドキュメント）", "Give a file or a link (downloads and documents)"),
        UPLOADING = ("アップロードの進み具合", "Upload progress"),
        DELETE_SERIES = ("製品シリーズを削除", "Delete the series"),
        DELETE_SERIES_TITLE = ("この製品シリーズを削除しますか？", "Delete this product series?"),
        DELETE_SERIES_MESSAGE = ("登録された情報とファイルもすべて削除されます。ナレッジ記事は残ります。", "All its entries and files are deleted; its knowledge articles stay."),
    }

    pub fn added(lang: Lang, name: &str) -> String {
        match lang {
            Lang::Ja => format!("「{name}」を追加しました。"),
            Lang::En => format!("“{name}” was added."),
        }
    }

    pub fn saved(lang: Lang, name: &str) -> String {
        match lang {
            Lang::Ja => format!("「{name}」を保存しました。"),
            Lang::En => format!("“{name}” was saved."),
        }
    }
}

pub mod knowledge {
    use super::*;
    texts! {
        TITLE = ("ナレッジ", "Knowledge base"),
        INTRO = ("Q&Aやトラブル事例、Bug情報、パッチ情報、製品情報、セキュリティ脆弱性などの記事を検索、参照することができます。", "Search and read Q&A, trouble cases, bugs, patches, product information and security advisories."),
        SEARCH = ("キーワード", "Keywords"),
        SEARCH_HINT = ("語句の一部でも検索できます。空白で区切るとすべてを含む記事を探します。", "Any part of a word works; separate words with spaces to find articles containing all of them."),
        CATEGORY = ("カテゴリー", "Category"),
        ANY = ("すべて", "All"),
        APPLY = ("検索", "Search"),
        NONE_FOUND = ("条件に合う記事はありません。", "No article matches."),
        PUBLIC = ("全公開", "Public"),
        UPDATED = ("更新日時", "Updated"),
        SERIES = ("製品シリーズ", "Product series"),
        ATTACHMENTS = ("添付ファイル", "Attachments"),
        BACK = ("ナレッジ検索へ戻る", "Back to the search"),
        NEW = ("記事を作成", "Write an article"),
        NEW_TITLE = ("記事の作成", "New article"),
        EDIT = ("記事の編集", "Edit the article"),
        ARTICLE_TITLE = ("タイトル", "Title"),
        BODY = ("本文（Markdown）", "Body (Markdown)"),
        BODY_HINT = ("見出し（#、##）、箇条書き（-）、強調（**）、コード（`）、リンクが使えます。HTMLタグは文字としてそのまま表示され、画像はリンクになります。", "Headings (#, ##), lists (-), emphasis (**), code (`) and links work; HTML tags are shown as text and images become links."),
        NO_SERIES = ("（なし）", "(none)"),
        PUBLIC_LABEL = ("すべてのお客様に公開する", "Public to every customer"),
        SAVE = ("保存する", "Save"),
        DELETE = ("記事を削除", "Delete the article"),
        DELETE_TITLE = ("この記事を削除しますか？", "Delete this article?"),
        DELETE_MESSAGE = ("添付ファイルも削除されます。", "Its attachments are deleted too."),
        ATTACH = ("ファイルを添付", "Attach a file"),
        ATTACH_FILE = ("添付するファイル", "File to attach"),
        UPLOADING = ("アップロードの進み具合", "Upload progress"),
        REMOVE = ("削除", "Remove"),
        REMOVE_TITLE = ("この添付ファイルを削除しますか？", "Remove this attachment?"),
        NOT_FOUND = ("記事が見つかりません。", "No such article."),
        SERIES_FILTER = ("製品シリーズで絞り込み中", "Filtered by product series"),
        CLEAR_FILTER = ("絞り込みを解除", "Show all series"),
    }

    pub fn found(lang: Lang, total: i64) -> String {
        match lang {
            Lang::Ja => format!("{total}件の記事"),
            Lang::En => format!("{total} article(s)"),
        }
    }

    pub fn saved(lang: Lang, title: &str) -> String {
        match lang {
            Lang::Ja => format!("「{title}」を保存しました。"),
            Lang::En => format!("“{title}” was saved."),
        }
    }
}

pub mod quotes {
    use super::*;
    texts! {
        UNANSWERED_TITLE = ("回答待ちのお見積り", "Quotes waiting for your answer"),
        NONE_UNANSWERED = ("回答待ちのお見積りはありません。", "No quote waits for an answer."),
        ENDING_TITLE = ("契約終了が近い契約（90日以内）", "Contracts ending within 90 days"),
        NONE_ENDING = ("90日以内に終了する契約はありません。", "No contract ends within 90 days."),
        NUMBER = ("見積番号", "Quote"),
        QUOTE_TITLE = ("件名", "Title"),
        CONTRACT = ("契約番号", "Contract"),
        ISSUED_ON = ("発行日", "Issued on"),
        AMOUNT = ("金額（税込）", "Amount (tax incl.)"),
        ACTIONS = ("操作", "Actions"),
        ORDER = ("発注", "Order"),
        ORDER_LEAD = ("注文書（PDF）を添付して発注します。発注後の取り消しは担当営業までご連絡ください。", "Attach your purchase order (PDF) to order. To cancel afterwards, contact your sales representative."),
        PURCHASE_ORDER = ("注文書（PDF）", "Purchase order (PDF)"),
        COMMENT_OPTIONAL = ("コメント（任意）", "Comment (optional)"),
        UPLOADING = ("注文書のアップロードの進み具合", "Purchase order upload progress"),
        ORDER_SUBMIT = ("発注する", "Place the order"),
        REQUOTE = ("再見積依頼", "Ask for a re-quote"),
        COMMENT = ("ご依頼内容", "What should change"),
        COMMENT_HINT = ("数量・期間・条件など、変更してほしい内容をご記入ください", "Quantities, period, conditions…"),
        REQUOTE_SUBMIT = ("依頼する", "Send the request"),
        CANCEL = ("キャンセル", "Cancel"),
    }

    pub fn order_title(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("お見積り {number} の発注"),
            Lang::En => format!("Order quote {number}"),
        }
    }

    pub fn requote_title(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("お見積り {number} の再見積依頼"),
            Lang::En => format!("Re-quote for {number}"),
        }
    }

    pub fn ordered(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("お見積り {number} を発注しました。"),
            Lang::En => format!("Quote {number} was ordered."),
        }
    }

    pub fn requoted(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("お見積り {number} の再見積を依頼しました。"),
            Lang::En => format!("A re-quote for {number} was requested."),
        }
    }
}

pub mod projects {
    use super::*;
    texts! {
        TITLE = ("案件・顧客案件グループ", "Projects and groups"),
        LEAD = ("顧客案件グループに所属するアカウントは、そのグループの案件の契約・情報のみ閲覧できます。どのグループにも所属しないアカウントは、お客様のすべての情報を閲覧できます。", "Accounts in a customer project group see only their groups' projects; accounts in no group see everything of their organization."),
        SEARCH = ("検索", "Search"),
        SEARCH_HINT = ("案件名・グループ名の一部", "Part of a project or group name"),
        APPLY = ("絞り込む", "Filter"),
        NONE_FOUND = ("案件はありません。", "No project yet."),
        NAME = ("案件名", "Project"),
        GROUP_NAME = ("顧客案件グループ名", "Customer project group"),
        CUSTOMER = ("ご契約者", "Customer"),
        CONTRACTS = ("契約数", "Contracts"),
        MEMBERS = ("所属アカウント数", "Members"),
        ADD_TITLE = ("案件の作成", "Create a project"),
        ADD = ("作成する", "Create"),
        CONTRACT_NUMBERS = ("案件と関連付ける保守契約番号", "Contract numbers of the project"),
        CONTRACT_NUMBERS_HINT = ("複数ある場合はカンマで区切ってください（例: ABC1234567, ABC7654321）", "Separate several with commas (e.g. ABC1234567, ABC7654321)"),
        DETAIL_TITLE = ("案件の詳細", "Project"),
        BACK = ("案件一覧へ戻る", "Back to the projects"),
        SAVE = ("保存", "Save"),
        MEMBER_LIST = ("顧客案件グループに所属するアカウント", "Accounts in the group"),
        NO_MEMBERS = ("所属するアカウントはありません。", "No account is in the group."),
        ADD_MEMBER = ("アカウントを追加", "Add an account"),
        ACCOUNT = ("アカウント", "Account"),
        CHOOSE_ACCOUNT = ("選択してください", "Choose one"),
        REMOVE = ("外す", "Remove"),
        REMOVE_CONFIRM = ("このアカウントをグループから外しますか？外すと、他のグループに所属していなければお客様のすべての情報を閲覧できるようになります。", "Remove this account from the group? Unless it is in another group, it will see everything of its organization."),
        DELETE = ("案件を削除", "Delete the project"),
        DELETE_CONFIRM = ("この案件を削除しますか？所属アカウントのアクセス制御も解除されます。", "Delete this project? Its members' restriction to it ends too."),
        DELETED = ("案件を削除しました。", "The project was deleted."),
        ROLE = ("権限", "Role"),
    }

    pub fn created(lang: Lang, name: &str) -> String {
        match lang {
            Lang::Ja => format!("案件「{name}」を作成しました。"),
            Lang::En => format!("Project \u{201c}{name}\u{201d} was created."),
        }
    }

    pub fn saved(lang: Lang, name: &str) -> String {
        match lang {
            Lang::Ja => format!("案件「{name}」を保存しました。"),
            Lang::En => format!("Project \u{201c}{name}\u{201d} was saved."),
        }
    }
}

pub mod audit {
    use super::*;
    texts! {
        TITLE = ("操作履歴", "Audit log"),
        ACTOR = ("操作者", "Actor"),
        ACTION = ("操作", "Action"),
        FROM = ("開始日", "From"),
        TO = ("終了日", "To"),
        ALL = ("すべて", "All"),
        APPLY = ("絞り込む", "Filter"),
        NONE = ("条件に合う記録はありません。", "No event matches."),
        TIME = ("日時（日本時間）", "Time (JST)"),
        SUBJECT = ("対象", "Subject"),
        DETAIL = ("内容", "Detail"),
        FROM_ADDRESS = ("接続元", "From"),
        MORE = ("さらに表示", "Show more"),
    }
}

pub mod uploads {
    use super::*;
    texts! {
        FILES = ("ファイルのアップロード", "Upload files"),
        DROP_HINT = ("ここにファイルをドロップするか、下のボタンから選択してください。ログファイル等、複数添付できます（1ファイル当たり最大1GB）。", "Drop files here or choose them below. You can attach several (log files and the like), up to 1 GB each."),
        UPLOADING = ("アップロード中", "Uploading"),
        PAUSED = ("一時停止中", "Paused"),
        INTERRUPTED = ("中断しました（再開できます）", "Interrupted (you can resume)"),
        REFUSED = ("受け付けられませんでした", "Refused"),
        DONE = ("完了", "Done"),
        PAUSE = ("一時停止", "Pause"),
        RESUME = ("再開", "Resume"),
        CANCEL = ("中止", "Cancel"),
        REMOVE = ("削除", "Remove"),
        WAITING = ("アップロードが終わるまでお待ちください。", "Wait for the uploads to finish."),
    }
}

pub mod tickets {
    use super::*;
    texts! {
        TITLE = ("お問い合わせ（チケットシステム）", "Support tickets"),
        INTRO = ("チケットを発行いただきますと、サポート担当者をアサインし順次回答を返信いたします。チケットの登録/更新時には、その都度通知メールが送信されます。", "File a ticket and a support engineer is assigned and answers you here. Every time a ticket is filed or updated, a notification mail is sent."),
        NEW = ("新規チケット発行", "New ticket"),
        RECORD = ("電話・メールの受付を記録", "Record a phone or mail inquiry"),
        TABS = ("表示するチケット", "Tickets to show"),
        TAB_OPEN = ("オープン", "Open"),
        TAB_ALL = ("すべて", "All"),
        SEARCH = ("キーワード・チケットID", "Keywords or ticket ID"),
        SEARCH_HINT = ("件名と本文を語句の一部でも検索できます。T-000123 の形でチケットを開けます。", "Searches subjects and messages by any part of a word; T-000123 finds that ticket."),
        ANY = ("すべて", "All"),
        STATUS = ("ステータス", "Status"),
        KIND = ("種別", "Type"),
        CATEGORY = ("カテゴリ", "Category"),
        PRODUCT = ("製品", "Product"),
        FROM = ("登録日（から）", "Filed from"),
        TO = ("登録日（まで）", "Filed until"),
        SORT = ("並び順", "Order"),
        SORT_UPDATED_DESC = ("更新が新しい順", "Recently updated first"),
        SORT_UPDATED_ASC = ("更新が古い順", "Least recently updated first"),
        SORT_CREATED_DESC = ("登録が新しい順", "Newest first"),
        SORT_CREATED_ASC = ("登録が古い順", "Oldest first"),
        ASSIGNEE = ("担当者", "Assignee"),
        ASSIGNED_ME = ("自分", "Me"),
        UNASSIGNED = ("未割当", "Unassigned"),
        APPLY = ("検索", "Search"),
        NONE_FOUND = ("条件に合うチケットはありません。", "No ticket matches."),
        NUMBER = ("チケットID", "Ticket ID"),
        SUBJECT = ("件名", "Subject"),
        CUSTOMER = ("お客様", "Customer"),
        UPDATED = ("更新日時", "Updated"),
        CREATED = ("登録日時", "Filed"),
        KIND_INQUIRY = ("お問い合わせ", "Inquiry"),
        KIND_INCIDENT = ("障害", "Incident"),
        STATUS_NEW = ("新規", "New"),
        STATUS_OPEN = ("オープン", "Open"),
        STATUS_IN_PROGRESS = ("対応中", "In progress"),
        STATUS_WAITING = ("お客様回答待ち", "Waiting for you"),
        STATUS_RESOLVED = ("解決済み", "Resolved"),
        STATUS_CLOSED = ("クローズ", "Closed"),
        CATEGORY_TECHNICAL = ("技術的なご質問", "Technical question"),
        CATEGORY_FAULT = ("故障・障害", "Fault"),
        CATEGORY_CONFIGURATION = ("設定変更のご依頼", "Configuration request"),
        CATEGORY_CONTRACT = ("契約について", "Contract"),
        CATEGORY_OTHER = ("その他", "Other"),
        CHANNEL_WEB = ("Web", "Web"),
        CHANNEL_EMAIL = ("メール", "Mail"),
        CHANNEL_PHONE = ("電話", "Phone"),
        NEW_TITLE = ("新規チケット発行", "New ticket"),
        STEP_PRODUCT = ("お問い合わせ対象の製品をクリックしてください。", "Choose the product your inquiry is about."),
        STEP_FORM = ("お問い合わせの内容を各フィールドへ入力してください。", "Fill in your inquiry."),
        NO_PRODUCTS = ("ご契約の機器が登録されていません。「その他」を選んでください。", "No equipment is registered on your contracts: choose “Other”."),
        OTHER_PRODUCT = ("その他（一覧にない製品）", "Other (not listed)"),
        CHOSEN_PRODUCT = ("対象製品", "Product"),
        CHANGE_PRODUCT = ("製品を選び直す", "Choose another product"),
        CONTRACT_NUMBER = ("保守契約番号", "Maintenance contract number"),
        SERIAL_NUMBER = ("シリアル番号", "Serial number"),
        UNKNOWN_HINT = ("ご不明な場合は、“不明”と入力して下さい。", "If you do not know it, enter “不明” (unknown)."),
        BOTH_UNKNOWN_NOTE = ("（ご注意）保守契約番号とシリアル番号の両方が不明な場合、お問い合わせを受付することができません。", "Note: we cannot accept an inquiry when both the contract number and the serial number are unknown."),
        MODEL = ("機種", "Model"),
        OS_VERSION = ("OS Ver", "OS version"),
        CC = ("メール CC", "Mail CC"),
        CC_HINT = ("通知メールを CC で受け取る方のメールアドレスを、カンマ(,)区切りで入力してください。", "Addresses that receive the notification mails in CC, separated by commas."),
        BODY = ("本文", "Message"),
        CREATE = ("新規チケットの作成", "Create the ticket"),
        STAFF_RECORD_NOTE = ("電話やメールで受け付けたお問い合わせを記録すると、お客様のお問い合わせ履歴に表示され、報告者へ通知メールが送信されます。", "A phone or mail inquiry recorded here appears in the customer's history, and the reporter gets the notification mail."),
        REPORTER = ("報告者", "Reporter"),
        CHOOSE_REPORTER = ("（お客様のアカウントを選択）", "(choose the customer's account)"),
        CHANNEL = ("受付方法", "Received by"),
        BACK = ("チケット一覧へ戻る", "Back to the tickets"),
        NOT_FOUND = ("チケットが見つかりません。", "No such ticket."),
        ATTACHMENTS = ("添付ファイル", "Attachments"),
        HISTORY = ("対応履歴", "History"),
        NO_HISTORY = ("まだ返信はありません。", "No reply yet."),
        SUPPORT = ("サポート担当", "Support"),
        INTERNAL_BADGE = ("社内メモ", "Internal note"),
        PROGRESS_BADGE = ("進捗報告", "Progress update"),
        REPLY = ("返信", "Reply"),
        REPLY_BODY = ("返信内容", "Your reply"),
        INTERNAL = ("社内メモにする（お客様には表示されません）", "Internal note (the customer never sees it)"),
        SEND_REPLY = ("返信", "Send the reply"),
        SAVE_NOTE = ("社内メモを保存（お客様には送信されません）", "Save the internal note (not sent to the customer)"),
        REPLIED = ("返信しました。", "Your reply was sent."),
        NOTED = ("社内メモを残しました。", "The internal note was saved."),
        CHANGE_TITLE = ("ステータス・担当者の変更", "Status and assignee"),
        NEW_STATUS = ("ステータス", "Status"),
        KEEP = ("（変更しない）", "(unchanged)"),
        NOBODY = ("（未割当）", "(nobody)"),
        CHANGE = ("変更する", "Change"),
        CLOSE = ("クローズする", "Close the ticket"),
        REOPEN = ("再オープンする", "Reopen the ticket"),
        CHANGED = ("チケットを更新しました。", "The ticket was updated."),
        STALE = ("このチケットは他の方が先に更新しました。最新の内容を表示しましたので、もう一度操作してください。", "Someone updated this ticket first. The latest version is shown now: please try again."),
        PROGRESS_TITLE = ("障害の進捗報告", "Incident progress"),
        PROGRESS_BODY = ("進捗状況", "Progress"),
        ESTIMATED = ("復旧見込み日時（日本時間）", "Estimated recovery (Japan time)"),
        POST_PROGRESS = ("進捗を報告する", "Post the progress"),
        PROGRESS_POSTED = ("進捗を報告しました。", "The progress was posted."),
        OPEN_TITLE = ("対応中のお問い合わせ", "Your open tickets"),
        NONE_OPEN = ("対応中のお問い合わせはありません。", "No ticket is open."),
        ALL_TICKETS = ("すべてのお問い合わせを見る", "See all tickets"),
    }

    pub fn found(lang: Lang, total: i64) -> String {
        match lang {
            Lang::Ja => format!("{total}件のチケット"),
            Lang::En => format!("{total} ticket(s)"),
        }
    }

    pub fn created(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("チケット {number} を発行しました。通知メールをお送りしました。"),
            Lang::En => format!("Ticket {number} was filed; a notification mail is on its way."),
        }
    }

    pub fn status_changed(lang: Lang, from: &str, to: &str) -> String {
        match lang {
            Lang::Ja => format!("ステータスを「{from}」から「{to}」に変更しました"),
            Lang::En => format!("Changed the status from “{from}” to “{to}”"),
        }
    }

    pub fn assigned(lang: Lang, name: Option<&str>) -> String {
        match (lang, name) {
            (Lang::Ja, Some(name)) => format!("担当者を{name}にしました"),
            (Lang::Ja, None) => "担当者の割当を外しました".to_owned(),
            (Lang::En, Some(name)) => format!("Assigned to {name}"),
            (Lang::En, None) => "Unassigned".to_owned(),
        }
    }

    pub fn recovery(lang: Lang, time: &str) -> String {
        match lang {
            Lang::Ja => format!("復旧見込み：{time}"),
            Lang::En => format!("Estimated recovery: {time}"),
        }
    }

    pub fn via(lang: Lang, channel: &str) -> String {
        match lang {
            Lang::Ja => format!("{channel}で受付"),
            Lang::En => format!("received by {channel}"),
        }
    }
}

pub mod pbx {
    use super::*;
    texts! {
        TABS = ("PBX設定", "PBX settings"),
        TAB_EXTENSIONS = ("内線番号", "Extensions"),
        TAB_GROUPS = ("グループ", "Groups"),
        TAB_FEATURES = ("特番・プッシュ音", "Feature codes"),
        TAB_FORWARDING = ("転送設定確認", "Forwarding"),
        TAB_CDRS = ("通信履歴", "Call records"),
        TITLE = ("内線番号管理", "Extensions"),
        INTRO = ("Office Link の拠点ごとに、内線番号のプロフィールと携帯番号の割り当てを管理します。CSVファイルで一括登録・一括削除もできます。", "Manage the extension profiles and mobile numbers of each Office Link site, one by one or in bulk with a CSV file."),
        SITE = ("拠点", "Site"),
        NO_SITE = ("拠点が設定されていません。拠点の設定は担当営業へお問い合わせください。", "No site is set up yet. Ask your sales representative to set one up."),
        DOMAIN = ("ドメイン名", "Domain name"),
        SITE_NUMBER = ("拠点番号", "Site number"),
        SEARCH_LABEL = ("内線番号・ユーザー名で検索", "Search by extension or user name"),
        SEARCH = ("検索", "Search"),
        NUMBER = ("内線番号", "Extension"),
        SIP_USER = ("SIPユーザー名", "SIP user name"),
        SIP_PASSWORD = ("SIPパスワード", "SIP password"),
        SIP_DEFAULT_HINT = ("省略した場合、内線番号が設定されます。", "The extension number when left empty."),
        WEB_USER = ("Webカスコンユーザー名", "Web user name"),
        WEB_PASSWORD = ("Webカスコンパスワード", "Web password"),
        WEB_PASSWORD_HINT = ("8文字の半角英数字（ユーザー名と同一不可）", "8 letters or digits, unlike the user name"),
        MOBILE = ("携帯番号", "Mobile number"),
        NO_MOBILE = ("（割り当てなし）", "(none)"),
        ACTIONS = ("操作", "Actions"),
        NONE_FOUND = ("内線番号はありません。", "No extension."),
        ASSIGN = ("割り当て", "Assign"),
        RELEASE = ("割り当て解除", "Release"),
        CHOOSE_NUMBER = ("（未割当番号を選択）", "(choose an unassigned number)"),
        DELETE = ("削除", "Delete"),
        DELETE_TITLE = ("この内線番号を削除しますか？", "Delete this extension?"),
        FORCE_DELETE = ("強制削除", "Force delete"),
        FORCE_TITLE = ("グループから外して削除しますか？", "Remove it from its groups and delete it?"),
        NEW_TITLE = ("内線プロフィールの登録", "New extension"),
        CREATE = ("登録", "Register"),
        TRANSFER = ("譲渡", "Transfer"),
        TRANSFER_TITLE = ("内線番号の譲渡", "Transfer the extension"),
        TRANSFER_HINT = ("内線番号を別の携帯番号へ移します。その番号を使っていた内線は割り当てなしになります（削除も選べます）。", "Moves the extension to another mobile number. The extension that had that number is left without one (or deleted)."),
        TARGET = ("移動先の携帯番号", "To mobile number"),
        DELETE_PREVIOUS = ("移動先の番号を使っていた内線プロフィールを削除する", "Delete the extension that had the number"),
        FORWARDING = ("転送設定", "Forwarding"),
        FORWARDING_KEEP = ("引き継ぐ", "Keep"),
        FORWARDING_CLEAR = ("解除する", "Clear"),
        SWAP_TITLE = ("内線番号の交換", "Swap two extensions"),
        SWAP_HINT = ("2つの内線の携帯番号を入れ替えます（1回の操作で、途中で不通になりません）。", "Exchanges the mobile numbers of two extensions in one step (nobody is unreachable in between)."),
        FIRST = ("内線1", "First extension"),
        SECOND = ("内線2", "Second extension"),
        CHOOSE_EXTENSION = ("（内線を選択）", "(choose an extension)"),
        SWAP = ("交換", "Swap"),
        CSV_TITLE = ("CSVファイルで一括登録・一括削除", "Register or delete by CSV file"),
        CSV_HINT = ("1行目にカラム名は不要です。一括登録は10項目（内線番号,携帯番号,予約番号1,SIP ID,SIPパスワード,予約番号2,予約番号3,Webユーザー名,Webパスワード,予約番号4）または2項目（内線番号,携帯番号）、一括削除は3項目（内線番号,携帯番号,予約番号1）です。文字コードはShift_JIS（UTF-8も可）。ファイル全体を確認し、誤りがあれば1件も登録しません。", "No header row. Register: 10 fields (extension, mobile, reserved1, SIP id, SIP password, reserved2, reserved3, web user, web password, reserved4) or 2 (extension, mobile); delete: 3 (extension, mobile, reserved1). Shift_JIS (UTF-8 too). The whole file is checked: with one error nothing is applied."),
        CSV_ACTION = ("処理", "Action"),
        CSV_REGISTER = ("一括登録", "Register"),
        CSV_DELETE = ("一括削除", "Delete"),
        CSV_FORCE = ("グループに所属している内線も削除する（強制削除）", "Also delete extensions in groups (force)"),
        CSV_FILE = ("CSVファイル", "CSV file"),
        CSV_DROP = ("ここにファイルをドロップするか、選択してください。", "Drop the file here, or choose it."),
        CSV_CHECK = ("チェックのみ（登録しない）", "Check only"),
        CSV_APPLY = ("実行する", "Apply"),
        CSV_NO_FILE = ("CSVファイルを選択してください", "Choose a CSV file"),
        CSV_SENDING = ("送信中", "Sending"),
        CSV_CHECKING = ("確認中", "Checking"),
        CSV_APPLYING = ("反映中", "Applying"),
        ERRORS_TITLE = ("エラーのある行", "Rows with errors"),
        LINE = ("行", "Line"),
        COLUMN = ("列", "Column"),
        VALUE = ("値", "Value"),
        REASON = ("理由", "Reason"),
        EXPORT_TITLE = ("一括出力", "Export"),
        EXPORT_HINT = ("登録されている内線番号を一括登録と同じ10項目のCSVファイルで出力します（パスワードを含みます。取り扱いにご注意ください）。", "All extensions as a CSV file in the 10-field register form (passwords included: keep it safe)."),
        EXPORT_SJIS = ("CSV出力（Shift_JIS）", "Export (Shift_JIS)"),
        EXPORT_UTF8 = ("CSV出力（UTF-8）", "Export (UTF-8)"),
        EDIT = ("プロフィール変更", "Edit profile"),
        SAVE = ("保存", "Save"),
        KEEP_PASSWORD_HINT = ("空欄の場合は変更しません。", "Left empty: unchanged."),
        SITE_NEW_TITLE = ("拠点の設定（担当者）", "Set up a site (staff)"),
        SITE_NAME = ("拠点名", "Site name"),
        GATEWAYS = ("ゲートウェイID", "Gateway ids"),
        GATEWAYS_HINT = ("カンマ区切りで複数指定できます（特番の重複チェックに使用します）。", "Comma-separated (used to check feature codes)."),
        PARK_HOLD = ("パーク保留特番", "Park-hold code"),
        SITE_CREATE = ("拠点を設定", "Set up the site"),
    }

    pub fn found(lang: Lang, total: i64) -> String {
        match lang {
            Lang::Ja => format!("{total}件"),
            Lang::En => format!("{total} extension(s)"),
        }
    }

    pub fn site_label(lang: Lang, name: &str, domain: &str, count: i64) -> String {
        match lang {
            Lang::Ja => format!("{name}（{domain}・内線{count}件）"),
            Lang::En => format!("{name} ({domain}, {count} extension(s))"),
        }
    }

    pub fn encoding(lang: Lang, encoding: madoguchi_types::extensions::CsvEncoding) -> String {
        use madoguchi_types::extensions::CsvEncoding as E;
        let name = match (encoding, lang) {
            (E::ShiftJis, _) => "Shift_JIS",
            (E::Utf8, Lang::Ja) => "UTF-8（BOMなし）",
            (E::Utf8, Lang::En) => "UTF-8 (no BOM)",
            (E::Utf8Bom, Lang::Ja) => "UTF-8（BOM付き）",
            (E::Utf8Bom, Lang::En) => "UTF-8 (with BOM)",
            (E::Ascii, Lang::Ja) => "半角英数字のみ（Shift_JIS・UTF-8 共通）",
            (E::Ascii, Lang::En) => "ASCII only (Shift_JIS and UTF-8 alike)",
        };
        match lang {
            Lang::Ja => format!("文字コード: {name}"),
            Lang::En => format!("Encoding: {name}"),
        }
    }

    pub fn errors_found(lang: Lang, count: usize) -> String {
        match lang {
            Lang::Ja => format!(
                "{count}件の誤りがあります。ファイルは登録されていません。すべて修正してから、もう一度指定してください。"
            ),
            Lang::En => {
                format!("{count} error(s). Nothing was applied: fix them all and send the file again.")
            }
        }
    }

    pub fn checked(lang: Lang, rows: i64) -> String {
        match lang {
            Lang::Ja => format!("{rows}行すべて正しい形式です（まだ登録していません）。"),
            Lang::En => format!("All {rows} rows are valid (nothing applied yet)."),
        }
    }

    pub fn applied(lang: Lang, delete: bool, applied: i64) -> String {
        match (lang, delete) {
            (Lang::Ja, false) => format!("{applied}件の内線番号を登録しました。"),
            (Lang::Ja, true) => format!("{applied}件の内線番号を削除しました。"),
            (Lang::En, false) => format!("{applied} extension(s) registered."),
            (Lang::En, true) => format!("{applied} extension(s) deleted."),
        }
    }

    pub fn progress(lang: Lang, rows: i64, validated: i64, applied: i64) -> String {
        match lang {
            Lang::Ja => format!("確認済み {validated} / {rows} 行・反映済み {applied} / {rows} 行"),
            Lang::En => format!("checked {validated} / {rows} rows, applied {applied} / {rows}"),
        }
    }

    pub fn chosen(lang: Lang, name: &str, size: f64) -> String {
        let kib = (size / 1024.0).ceil();
        match lang {
            Lang::Ja => format!("選択中: {name}（{kib} KB）"),
            Lang::En => format!("Chosen: {name} ({kib} KB)"),
        }
    }

    pub fn saved(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("内線 {number} のプロフィールを変更しました。"),
            Lang::En => format!("The profile of extension {number} was changed."),
        }
    }

    pub fn site_created(lang: Lang, name: &str) -> String {
        match lang {
            Lang::Ja => format!("拠点「{name}」を設定しました。"),
            Lang::En => format!("Site {name} set up."),
        }
    }

    pub fn created(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("内線 {number} を登録しました。"),
            Lang::En => format!("Extension {number} registered."),
        }
    }

    pub fn deleted(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("内線 {number} を削除しました。"),
            Lang::En => format!("Extension {number} deleted."),
        }
    }

    pub fn delete_message(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => {
                format!("内線 {number} のプロフィールを削除します。割り当てた携帯番号は未割当に戻ります。")
            }
            Lang::En => format!("Extension {number} will be deleted; its mobile number returns to the pool."),
        }
    }

    pub fn held_by(lang: Lang, number: &str, extension: &str) -> String {
        match lang {
            Lang::Ja => format!("{number}（内線 {extension} が使用中）"),
            Lang::En => format!("{number} (extension {extension} has it)"),
        }
    }

    pub fn transferred(lang: Lang, number: &str, mobile: &str) -> String {
        match lang {
            Lang::Ja => format!("内線 {number} を {mobile} へ譲渡しました。"),
            Lang::En => format!("Extension {number} moved to {mobile}."),
        }
    }

    pub fn swapped(lang: Lang, first: &str, second: &str) -> String {
        match lang {
            Lang::Ja => format!("内線 {first} と {second} の携帯番号を交換しました。"),
            Lang::En => format!("Extensions {first} and {second} swapped their numbers."),
        }
    }

    pub fn row_label(lang: Lang, number: &str, what: Text) -> String {
        match lang {
            Lang::Ja => format!("内線 {number} の{}", what.get(lang)),
            Lang::En => format!("{} of extension {number}", what.get(lang)),
        }
    }
}

pub mod mobile {
    use super::*;
    texts! {
        TITLE = ("モバイル回線の管理", "Mobile lines"),
        INTRO = ("Business Mobile のご契約の利用者（携帯電話番号）を登録・変更・削除できます。Office Link オプションの番号は内線に割り当てられます。", "Register, change and delete the users (mobile numbers) of your Business Mobile contracts. Office Link numbers can be assigned to extensions."),
        NUMBER = ("登録電話番号", "Mobile number"),
        NUMBER_HINT = ("すべての桁を入力してください（ハイフンは有っても無くても構いません）。", "All digits (hyphens or not)."),
        NO_CONTRACT = ("Business Mobile のご契約がないため、利用者を登録できません。ご契約については担当営業へお問い合わせください。", "Without a Business Mobile contract no line can be registered. Ask your sales representative about a contract."),
        USER_NAME = ("利用者名", "User name"),
        MATCH = ("検索方法", "Match"),
        MATCH_EXACT = ("完全一致", "Exact"),
        MATCH_PREFIX = ("前方一致", "Starts with"),
        MATCH_PARTIAL = ("部分一致", "Contains"),
        STATE = ("絞込み", "Show"),
        STATE_CURRENT = ("現用利用者", "Current lines"),
        STATE_DELETED = ("削除利用者", "Deleted lines"),
        STATE_ALL = ("すべて", "All"),
        SEARCH = ("検索", "Search"),
        NONE_FOUND = ("条件に合う利用者はいません。", "No line matches."),
        INTERNATIONAL = ("国際発信規制", "International calls barred"),
        OFFICE_LINK = ("Office Link", "Office Link"),
        CONTRACT = ("契約番号", "Contract"),
        REGISTERED_ON = ("登録日", "Registered"),
        ACTIONS = ("操作", "Actions"),
        YES = ("有", "Yes"),
        NO = ("無", "No"),
        EDIT = ("変更", "Change"),
        SAVE = ("保存", "Save"),
        BACK = ("戻る", "Back"),
        DELETE = ("削除", "Delete"),
        DELETE_TITLE = ("この利用者を削除しますか？", "Delete this line?"),
        REGISTER_TITLE = ("利用者の新規登録", "Register lines"),
        REGISTER_HINT = ("1ページあたり15人までの登録となります。空欄の行は登録されません。部署名を先頭につけるなど、管理しやすい利用者名をお薦めします。", "Up to 15 lines at a time; empty rows are skipped. A department first makes names easy to manage."),
        CHOOSE_CONTRACT = ("（Business Mobile のご契約を選択）", "(choose the Business Mobile contract)"),
        REGISTER = ("登録", "Register"),
        BILLING_NOTICE = ("登録完了した日より課金開始となります。最低利用期間内（登録完了後30日以内）は削除できませんので、ご注意ください。", "Billing starts on the day of registration. A line cannot be deleted within its minimum usage period (30 days after registration)."),
        CONFIRM_REGISTER = ("OK（登録する）", "OK, register"),
    }

    pub fn found(lang: Lang, total: i64) -> String {
        match lang {
            Lang::Ja => format!("{total}件"),
            Lang::En => format!("{total} line(s)"),
        }
    }

    pub fn changed(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("{number} を変更しました。"),
            Lang::En => format!("{number} was changed."),
        }
    }

    pub fn registered(lang: Lang, count: usize) -> String {
        match lang {
            Lang::Ja => format!("{count}件の利用者を登録しました。"),
            Lang::En => format!("{count} line(s) registered."),
        }
    }

    pub fn deleted_on(lang: Lang, date: chrono::NaiveDate) -> String {
        match lang {
            Lang::Ja => format!("{date} 削除"),
            Lang::En => format!("deleted {date}"),
        }
    }

    pub fn deletable_from(lang: Lang, date: chrono::NaiveDate) -> String {
        match lang {
            Lang::Ja => format!("最低利用期間内（{date} 以降に削除できます）"),
            Lang::En => format!("Minimum usage period (deletable from {date})"),
        }
    }

    pub fn delete_message(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!(
                "{number} を削除します。再び同じ番号を登録される場合には、最低利用期間が設定されますのでご注意ください。"
            ),
            Lang::En => format!(
                "{number} will be deleted. Registering the number again starts a new minimum usage period."
            ),
        }
    }

    pub fn same_as_row(lang: Lang, row: usize) -> String {
        match lang {
            Lang::Ja => format!("{row}行目と同じ番号です"),
            Lang::En => format!("The same number as row {row}"),
        }
    }

    pub fn cell_label(lang: Lang, row: usize, column: Text) -> String {
        match lang {
            Lang::Ja => format!("{row}行目の{}", column.get(lang)),
            Lang::En => format!("{} of row {row}", column.get(lang)),
        }
    }
}

pub mod groups {
    use super::*;
    use madoguchi_types::groups::HuntingStrategy;
    texts! {
        TITLE = ("グループ設定", "Groups"),
        INTRO = ("ピックアップグループとコールハンティンググループを設定します。メンバ内線番号は同じ拠点の内線番号から選びます。", "Set up pickup and call hunting groups. Members are extensions of the same site."),
        PICKUP_TITLE = ("ピックアップグループ", "Pickup groups"),
        PICKUP_HINT = ("グループ内の他端末への着信を自端末で代理応答できます。最大4096グループ、1グループ最大64内線番号まで登録可能です。", "A member answers a call ringing another member. Up to 4096 groups, 64 extensions each."),
        HUNTING_TITLE = ("コールハンティンググループ", "Call hunting groups"),
        HUNTING_HINT = ("代表内線番号への着信を、グループ内の通話中でない内線へ着信させます。最大10000グループ、1グループ最大64内線番号。1つの内線番号を複数のハンティンググループに登録することはできません。", "Calls to the representative extension ring a free member. Up to 10000 groups, 64 extensions each; an extension is in one hunting group at most."),
        NO_PICKUP = ("ピックアップグループはありません。", "No pickup group."),
        NO_HUNTING = ("コールハンティンググループはありません。", "No hunting group."),
        GROUP_NUMBER = ("グループ番号", "Group number"),
        GROUP_NUMBER_HINT = ("1〜5桁の半角数字", "1 to 5 digits"),
        MEMBERS = ("メンバ数", "Members"),
        ACTIONS = ("操作", "Actions"),
        EDIT = ("編集", "Edit"),
        STRATEGY = ("着信方式", "Strategy"),
        REPRESENTATIVE = ("代表内線番号", "Representative extension"),
        REPRESENTATIVE_HINT = ("この拠点の内線番号", "An extension of this site"),
        NO_REPRESENTATIVE = ("未設定（着信しません）", "None (rings nobody)"),
        CREATE_PICKUP = ("新規登録", "Create"),
        CREATE_HUNTING = ("登録", "Create"),
        ADD_MEMBER = ("内線メンバ", "Member extension"),
        ADD_MEMBER_HINT = ("追加する内線番号（入力すると候補が表示されます）", "The extension to add (suggestions appear as you type)"),
        ADD = ("追加", "Add"),
        FULL = ("このグループは64内線番号に達しています。", "The group has 64 extensions."),
        NO_MEMBER = ("内線メンバはいません。", "No member."),
        REMOVE = ("外す", "Remove"),
        DELETE_GROUP = ("グループを削除", "Delete group"),
        DELETE_PICKUP_TITLE = ("このピックアップグループを削除しますか？", "Delete this pickup group?"),
        DELETE_HUNTING_TITLE = ("このコールハンティンググループを削除しますか？", "Delete this hunting group?"),
        DELETE_GROUP_MESSAGE = ("グループの設定が削除されます。内線番号は削除されません。", "The group goes; its extensions stay."),
        CLOSE = ("閉じる", "Close"),
        RING_ORDER = ("着信順", "Ring order"),
        RING_ORDER_HINT = ("パイロット方式では上から順に、空いている内線へ着信します。ドラッグするか▲▼で並べ替え、「並び順を保存」を押してください。", "In priority mode the first free member from the top rings. Drag a member or use ▲▼, then save the order."),
        SAVE_ORDER = ("並び順を保存", "Save the order"),
        SAVE_SETTINGS = ("変更", "Change"),
    }

    pub const STRATEGIES: &[(&str, Text)] = &[
        (
            "priority",
            Text::new("パイロット方式（優先順位順）", "Priority (in order)"),
        ),
        (
            "round_robin",
            Text::new("均等着信方式（ラウンドロビン）", "Round robin"),
        ),
    ];

    pub fn strategy(lang: Lang, strategy: HuntingStrategy) -> &'static str {
        match strategy {
            HuntingStrategy::Priority => lang.pick("パイロット", "Priority"),
            HuntingStrategy::RoundRobin => lang.pick("均等着信", "Round robin"),
        }
    }

    pub fn groups_of(lang: Lang, count: i64, limit: i64) -> String {
        match lang {
            Lang::Ja => format!("{count} / {limit} グループ"),
            Lang::En => format!("{count} of {limit} groups"),
        }
    }

    pub fn members_of(lang: Lang, count: usize, limit: i64) -> String {
        match lang {
            Lang::Ja => format!("内線メンバ {count} / {limit}"),
            Lang::En => format!("{count} of {limit} members"),
        }
    }

    pub fn pickup_heading(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("ピックアップグループ {number}"),
            Lang::En => format!("Pickup group {number}"),
        }
    }

    pub fn hunting_heading(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("コールハンティンググループ {number}"),
            Lang::En => format!("Hunting group {number}"),
        }
    }

    pub fn pickup_created(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("ピックアップグループ {number} を登録しました。"),
            Lang::En => format!("Pickup group {number} created."),
        }
    }

    pub fn hunting_created(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("コールハンティンググループ {number} を登録しました。"),
            Lang::En => format!("Hunting group {number} created."),
        }
    }

    pub fn deleted(lang: Lang) -> &'static str {
        lang.pick("グループを削除しました。", "The group was deleted.")
    }

    pub fn order_saved(lang: Lang) -> &'static str {
        lang.pick("着信順を保存しました。", "The ring order was saved.")
    }

    pub fn settings_saved(lang: Lang) -> &'static str {
        lang.pick("設定を変更しました。", "The settings were changed.")
    }

    pub fn remove_label(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("{number} をグループから外す"),
            Lang::En => format!("Remove {number} from the group"),
        }
    }

    pub fn up_label(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("{number} を1つ上へ"),
            Lang::En => format!("Move {number} up"),
        }
    }

    pub fn down_label(lang: Lang, number: &str) -> String {
        match lang {
            Lang::Ja => format!("{number} を1つ下へ"),
            Lang::En => format!("Move {number} down"),
        }
    }
}

pub mod features {
    use super::*;
    texts! {
        TITLE = ("特番・プッシュ音設定", "Feature codes"),
        INTRO = ("保留特番、ダイヤル確定特番、プッシュ音の設定を行います。特番は他の特番・パーク保留特番・拠点番号・GW識別番号・内線番号と前方一致しないように設定してください。", "Set the hold code, the dial-confirm code and the push-tone settings. No code may equal or begin another code, the park-hold code, the site number, a gateway id or an extension."),
        OTHERS_TITLE = ("照合される番号", "Numbers checked against"),
        OTHERS_HINT = ("これらは弊社で設定しています。変更は担当営業へお問い合わせください。", "These are set by us: ask your sales representative to change them."),
        PARK_HOLD = ("パーク保留特番", "Park-hold code"),
        SITE_NUMBER = ("拠点番号", "Site number"),
        GATEWAYS = ("GW識別番号", "Gateway ids"),
        HOLD_TITLE = ("保留特番", "Hold code"),
        HOLD_CODE = ("保留特番", "Hold code"),
        HOLD_HINT = ("1〜4桁の半角数字・#・*（2桁以上を推奨）", "1 to 4 of 0-9 # * (2 or more recommended)"),
        AFTER_TRANSFER = ("転送先接続後の保留特番入力時", "The hold code after the transfer connects"),
        DIAL_CONFIRM_TITLE = ("ダイヤル確定特番", "Dial-confirm code"),
        DIAL_CONFIRM_CODE = ("ダイヤル確定特番", "Dial-confirm code"),
        SPECIAL_HINT = ("先頭が*または#の1〜3桁（0〜9・*・#）", "1 to 3 of 0-9 * #, starting with * or #"),
        PUSH_TONE_TITLE = ("プッシュ音設定", "Push tones"),
        PUSH_TONE_HINT = ("保留操作時のプッシュ音（ピポパ音）を通話相手に聞こえないようにします。拠点のすべての内線で同じ設定になります。消去すると自動音声ガイダンスのキー操作ができなくなるため、通話中に送出特番を押すとその通話に限りプッシュ音を送出します。", "Hides the tones dialled on hold from the other party, for every extension of the site. Automated answering systems then hear no keys: the send code sends them for one call."),
        PUSH_TONE_ERASE = ("消去設定", "Erase"),
        PUSH_TONE_SEND = ("プッシュ音送出特番", "Push-tone send code"),
        EMPTY_DELETES = ("未入力で設定すると、その特番を削除します。", "An empty code is deleted."),
        SAVE = ("設定", "Save"),
        FORWARDING_TITLE = ("留守番・各種転送設定確認", "Forwarding overview"),
        FORWARDING_INTRO = ("内線番号ごとの転送設定を確認できます。「-」は転送設定なしです。転送の設定・解除は内線利用者がユーザーカスコンまたは特番で行います。", "The forwarding of each extension. \"-\" is off. Users set and clear forwarding on their phone or their own settings page."),
        SEARCH_LABEL = ("内線番号", "Extension"),
        FORWARDED_ONLY = ("転送設定ありのみ", "Forwarded only"),
        SHOW = ("表示", "Show"),
        NONE = ("該当する内線番号はありません。", "No extension."),
        NUMBER = ("内線番号", "Extension"),
        MOBILE = ("携帯番号", "Mobile"),
        ALWAYS = ("無条件転送", "Always"),
        BUSY = ("話中転送", "Busy"),
        NO_ANSWER = ("応答遅延転送", "No answer"),
        UNREACHABLE = ("圏外転送", "Out of coverage"),
    }

    pub const AFTER_TRANSFER_CHOICES: &[(&str, Text)] = &[
        ("stay_connected", Text::new("非切断", "Stay connected")),
        ("disconnect", Text::new("切断", "Disconnect")),
    ];

    pub const ERASE_CHOICES: &[(&str, Text)] = &[
        ("keep", Text::new("消去しない", "Do not erase")),
        ("erase", Text::new("消去する", "Erase")),
    ];

    pub fn saved(lang: Lang) -> &'static str {
        lang.pick("設定しました。", "Saved.")
    }

    pub fn found(lang: Lang, total: i64) -> String {
        match lang {
            Lang::Ja => format!("{total}件の内線番号"),
            Lang::En => format!("{total} extension(s)"),
        }
    }

    pub fn after_seconds(lang: Lang, number: &str, seconds: i32) -> String {
        match lang {
            Lang::Ja => format!("{number}（{seconds}秒）"),
            Lang::En => format!("{number} ({seconds} s)"),
        }
    }
}

pub mod cdrs {
    use super::*;
    texts! {
        TITLE = ("通信履歴参照", "Call records"),
        INTRO = ("通信履歴はCSV形式でダウンロードできます（1ファイル4万レコードまで、92日分）。参照には秘密の質問の回答が必要です。通話の履歴は通話終了後約20分後に反映されます。", "Call records download as CSV files (40,000 records each, 92 days kept). Reading them needs the answer to the secret question. A call appears about 20 minutes after it ended."),
        SETUP_TITLE = ("秘密の質問の設定", "Set the secret question"),
        SETUP_HINT = ("通信履歴の参照に使用する「秘密の質問」とその回答を設定してください。", "Set the secret question and its answer that guard the call records."),
        CHANGE_TITLE = ("認証設定変更", "Change the secret question"),
        CURRENT_ANSWER = ("現在の回答", "Current answer"),
        QUESTION = ("秘密の質問", "Secret question"),
        ANSWER = ("秘密の質問の回答", "Answer"),
        MAX_30 = ("30文字以内", "At most 30 characters"),
        REMEMBER = ("設定・変更した「秘密の質問」を忘れないようご注意ください。", "Do not forget the secret question you set."),
        SET = ("設定", "Set"),
        ANSWER_TITLE = ("認証", "Authentication"),
        AUTHENTICATE = ("認証", "Authenticate"),
        DAYS_TITLE = ("取得可能な通信履歴ファイル", "Files you can download"),
        DAYS_HINT = ("1ファイルで保存できるレコード数は4万レコードです。それを超える日は複数のファイルに分かれます。古いファイルから自動削除されます（92日分）。", "A file holds 40,000 records; a busier day is split into several files. Files older than 92 days are deleted."),
        NO_DAYS = ("取得可能な通信履歴はありません。", "No call records yet."),
        ENCODING = ("文字コード", "Encoding"),
        DAY = ("日付", "Day"),
        RECORDS = ("レコード数", "Records"),
        FILES = ("ファイル", "Files"),
        CHART_TITLE = ("日別の通信履歴件数", "Call records per day"),
        BROWSE_TITLE = ("通信履歴の検索", "Search the records"),
        FROM = ("開始日", "From"),
        TO = ("終了日", "To"),
        NUMBER = ("内線番号・電話番号", "Extension or number"),
        CALL_TYPE = ("呼種別", "Call type"),
        CAUSE = ("切断理由", "Cause"),
        ALL = ("すべて", "All"),
        SEARCH = ("検索", "Search"),
        NONE = ("該当する通信履歴はありません。", "No record matches."),
        ATTEMPTED = ("発呼時刻", "Attempted"),
        CALLER = ("発信者番号", "Caller"),
        CALLEE = ("着信者番号", "Callee"),
        DURATION = ("通話時間", "Duration"),
    }

    pub const ENCODINGS: &[(&str, Text)] = &[
        ("shift_jis", Text::new("Shift_JIS", "Shift_JIS")),
        ("utf-8", Text::new("UTF-8", "UTF-8")),
    ];

    pub const CALL_TYPES: &[(&str, Text)] = &[
        ("", Text::new("すべて", "All")),
        ("true", Text::new("成立", "Connected")),
        ("false", Text::new("不成立", "Not connected")),
    ];

    pub fn call_type(lang: Lang, connected: bool) -> &'static str {
        if connected {
            lang.pick("成立", "Connected")
        } else {
            lang.pick("不成立", "Not connected")
        }
    }

    pub fn secret_saved(lang: Lang) -> &'static str {
        lang.pick("秘密の質問を設定しました。", "The secret question was set.")
    }

    pub fn current_question(lang: Lang, question: &str) -> String {
        match lang {
            Lang::Ja => format!("現在の秘密の質問: {question}"),
            Lang::En => format!("Current question: {question}"),
        }
    }

    pub fn part_button(lang: Lang, part: i64) -> String {
        match lang {
            Lang::Ja => format!("取得 {part}"),
            Lang::En => format!("Get {part}"),
        }
    }

    pub fn download_label(lang: Lang, day: chrono::NaiveDate, part: i64) -> String {
        match lang {
            Lang::Ja => format!("取得 {part}（{} のファイル{part}）", day.format("%Y/%m/%d")),
            Lang::En => format!("Get {part} (file {part} of {})", day.format("%Y-%m-%d")),
        }
    }

    pub fn found(lang: Lang, total: i64) -> String {
        match lang {
            Lang::Ja => format!("{total}件の通信履歴"),
            Lang::En => format!("{total} record(s)"),
        }
    }

    pub fn seconds(lang: Lang, seconds: i64) -> String {
        match lang {
            Lang::Ja => format!("{seconds}秒"),
            Lang::En => format!("{seconds} s"),
        }
    }

    pub fn unknown_cause(lang: Lang, code: &str) -> String {
        match lang {
            Lang::Ja => format!("{code}（説明のないコード）"),
            Lang::En => format!("{code} (no description)"),
        }
    }
}

pub mod analytics {
    use super::*;
    texts! {
        TITLE = ("CXサポート", "Call analytics (CX Support)"),
        INTRO = ("フリーダイヤル・ナビダイヤルのコールデータを可視化・分析します。グラフの下の表に数値があります。", "FreeDial and NaviDial call data, charted and analysed. The table under each chart holds its figures."),
        NO_SUBSCRIPTION = ("CXサポートのご契約がありません。", "No CX Support subscription yet."),
        SUBSCRIPTION = ("ご契約（OPID）", "Subscription (OPID)"),
        ANALYTICS_ID = ("CXサポートID", "CX Support ID"),
        CATALOGUE = ("分析メニュー", "Reports"),
        BASIC = ("基本データ", "Basic data"),
        DETAILED = ("詳細データ", "Detailed data"),
        STANDARD_ONLY = ("スタンダードプラン", "Standard plan"),
        UPGRADE = ("🔒の分析はスタンダードプランでご利用いただけます。プラン変更後もデータは引き継がれます。", "Reports marked 🔒 come with the standard plan; a plan change keeps your data."),
        FROM = ("開始日", "From"),
        TO = ("終了日", "To"),
        AN = ("AN番号", "AN number"),
        ALL_NUMBERS = ("すべての番号", "All numbers"),
        AN_GROUP = ("FD/ND番号グループ", "AN group"),
        DN_GROUP = ("着信先番号グループ", "Destination group"),
        NO_GROUP = ("指定なし", "None"),
        HOUR_FROM = ("時間帯（開始）", "From hour"),
        HOUR_TO = ("時間帯（終了）", "To hour"),
        WEEKDAYS = ("曜日", "Weekdays"),
        MON = ("月", "Mon"),
        TUE = ("火", "Tue"),
        WED = ("水", "Wed"),
        THU = ("木", "Thu"),
        FRI = ("金", "Fri"),
        SAT = ("土", "Sat"),
        SUN = ("日", "Sun"),
        APPLY = ("表示", "Show"),
        ITEM = ("項目", "Item"),
        TOTAL = ("合計", "Total"),
        GROUPS_TITLE = ("番号グループ", "Number groups"),
        GROUPS_HINT = ("FD/ND番号や着信先番号をグループにまとめ、分析の絞り込みに使えます。", "Group AN or destination numbers to filter the reports by."),
        NO_GROUPS = ("グループはまだありません。", "No groups yet."),
        AN_GROUPS = ("FD/ND番号グループ", "AN group"),
        DN_GROUPS = ("着信先番号グループ", "Destination group"),
        GROUP_KIND = ("種類", "Kind"),
        GROUP_NAME = ("グループ名", "Group name"),
        GROUP_NUMBERS = ("番号", "Numbers"),
        CREATE_GROUP = ("グループを作成", "Create group"),
        GROUP_CREATED = ("グループを作成しました", "Group created"),
        EDIT_GROUP = ("編集", "Edit"),
        EDITING_GROUP = ("グループの編集", "Editing the group"),
        SAVE_GROUP = ("グループを保存", "Save group"),
        GROUP_SAVED = ("グループを保存しました", "Group saved"),
        CANCEL_EDIT = ("キャンセル", "Cancel"),
        DELETE = ("削除", "Delete"),
        DOWNLOADS = ("ダウンロード", "Download"),
        DOWNLOAD_IMAGE = ("イメージ（PNG）", "Image (PNG)"),
        DOWNLOAD_PDF = ("PDF", "PDF"),
        DOWNLOAD_PPTX = ("PowerPoint", "PowerPoint"),
        RENDERING = ("ファイルを作成しています…", "Preparing the file…"),
    }

    /// A large file's steps: drawn, then stored for download.
    pub fn rendering_steps(lang: Lang, done: i64, total: i64) -> String {
        match lang {
            Lang::Ja => format!("大きなファイルを作成しています（{done} / {total}）…"),
            Lang::En => format!("Preparing a large file ({done} of {total})…"),
        }
    }
}

pub mod signup {
    use super::*;
    texts! {
        TITLE = ("CXサポートのお申し込み", "Sign up for CX Support"),
        LEAD = ("1つのお申込み（契約）で、オペレーターIDに登録されている全てのFD/ND番号が集計対象となります。OPIDひとつにつきCXサポートは1契約のみとなります。", "One sign-up covers every FD/ND number registered under the operator ID; an OPID can be signed up once."),
        STEPS = ("お申し込みの手順", "Sign-up steps"),
        STEP_1 = ("STEP 1. 登録の申し込み", "STEP 1. Sign-up form"),
        STEP_2 = ("STEP 2. 登録内容の確認", "STEP 2. Check your entries"),
        STEP_3 = ("STEP 3. 送信完了", "STEP 3. Sent"),
        CONTRACTOR = ("契約者名", "Contractor name"),
        CONTRACTOR_HINT = ("本サービスの契約者名（AN代表名義と一致する必要なし）", "The contracting party (need not match the AN's holder)"),
        INDUSTRY = ("業種", "Industry"),
        CONTACT_PHONE = ("連絡先電話番号", "Contact phone number"),
        OPID = ("オペレーターID (OPID)", "Operator ID (OPID)"),
        OPID_HINT = ("カスタマコントロールの親オペレータID（子オペレータIDでの申し込みは不可）", "The parent operator ID of Customer Control (not a child operator ID)"),
        AN_NUMBER = ("FD/ND番号", "FD/ND number"),
        AN_NUMBER_HINT = ("ご指定のOPIDに登録されているフリーダイヤル/ナビダイヤル番号のひとつ", "One FreeDial / NaviDial number registered under the OPID"),
        DN_NUMBER = ("着信先番号", "Destination number"),
        DN_NUMBER_HINT = ("その番号の着信先番号のひとつ", "One destination number of those numbers"),
        PLAN = ("申込プラン", "Plan"),
        PLAN_HINT = ("スタンダードプランを選択すると請求用FD/ND番号、請求用電話番号が必須入力となります", "The standard plan requires the billing FD/ND number and billing phone number"),
        BILLING_PHONE = ("請求用電話番号", "Billing phone number"),
        BILLING_PHONE_HINT = ("CXサポートの利用料をご請求する番号", "The number CX Support's fee is billed to"),
        BILLING_NUMBER = ("請求用FD/ND番号", "Billing FD/ND number"),
        BILLING_NUMBER_HINT = ("請求用電話番号にて課金されているフリーダイヤル/ナビダイヤル番号の内、1つ", "One FreeDial / NaviDial number billed to the billing phone number"),
        DEPARTMENT = ("部署", "Department"),
        CONTACT_PERSON = ("担当者", "Contact person"),
        EMAIL = ("メールアドレス", "Email"),
        EMAIL_HINT = ("登録に関するメールもこちらのアドレスに送信いたします", "Sign-up mails and one-time passwords go to this address"),
        EMAIL_AGAIN = ("メールアドレス (確認用)", "Email (again)"),
        PASSWORD = ("パスワード", "Password"),
        PASSWORD_AGAIN = ("パスワード (確認用)", "Password (again)"),
        AUTH_METHOD = ("認証方式", "Authentication method"),
        OTP = ("ワンタイムパスワード", "One-time password by email"),
        HAS_SALES_CODE = ("販売コード有無", "Sales code"),
        HAS_SALES_CODE_HINT = ("営業担当者より指定があった場合は、販売コード有を選択してください", "Choose \"yes\" if your sales representative gave you one"),
        SALES_CODE_NONE = ("販売コード無", "No sales code"),
        SALES_CODE_GIVEN = ("販売コード有", "I have a sales code"),
        SALES_CODE = ("販売コード", "Sales code"),
        SALES_CODE_HINT = ("半角英数14文字。販売コード無の場合は0の14文字が自動入力されます", "14 half-width letters and digits; without one, fourteen 0s are recorded"),
        NEXT = ("確認画面へ", "Check entries"),
        BACK = ("戻る", "Back"),
        SUBMIT = ("申し込み", "Sign up"),
        CHECK_LEAD = ("入力内容をご確認の上、「申し込み」をクリックしてください。", "Check your entries, then click \"Sign up\"."),
        MASKED = ("（表示しません）", "(not shown)"),
        SENT_TITLE = ("仮登録が完了しました", "Your sign-up is provisional"),
        NOT_ARRIVED = ("30分以上経過してもメールが届かない場合は、迷惑メールフォルダーやドメイン指定受信の設定をご確認ください。メールアドレスを誤って登録された可能性がある場合は、お手数ですが24時間経過後に再度お申し込みください。", "If no mail arrives within 30 minutes, check your spam folder and domain filters. If the address may be wrong, sign up again after 24 hours."),
        CONFIRM_TITLE = ("本登録のお申込み", "Confirm your sign-up"),
        CONFIRM_LEAD = ("CXサポートにお申込みいただきありがとうございます。ボタンをクリックして、本登録をお申込みください。", "Thank you for signing up for CX Support. Click the button to confirm."),
        CONFIRM = ("確定", "Confirm"),
        CONFIRMED = ("本登録を受け付けました", "Your sign-up is confirmed"),
        ANALYTICS_ID_IS = ("CXサポートID: ", "CX Support ID: "),
        CONFIRMED_NEXT = ("利用準備完了メールにもCXサポートIDを記載しています。ログイン時にはご登録のメールアドレスに送信されるワンタイムパスワードを入力してください。", "The ready mail carries the CX Support ID too. At sign-in, enter the one-time password mailed to your address."),
        CONFIRM_FAILED_NEXT = ("本登録済みの場合はログインしてください。URLの有効期限（24時間）が切れた場合は、お手数ですが再度お申し込みください。", "If you already confirmed, sign in. If the link expired (after 24 hours), please sign up again."),
        SIGN_UP_AGAIN = ("お申し込みへ", "Sign up again"),
        GO_SIGN_IN = ("ログインへ", "Sign in"),
        SIGN_UP_LINK = ("CXサポートのお申し込み", "Sign up for CX Support"),
        PLANS_TITLE = ("お申し込みプランによる提供機能の違い", "What each plan offers"),
        FEATURE = ("提供機能", "Feature"),
        AGGREGATES = ("基本データの蓄積期間", "Aggregates kept"),
        DETAIL = ("詳細データの蓄積期間", "Call detail kept"),
        CHILD_IDS = ("子ID払出し及び管理機能", "Child IDs"),
        NUMBER_GROUPS = ("FD/ND番号・着信先番号グループ化", "Groups of numbers"),
        OWN_DATA = ("お客さま保有データ アップロード機能", "Upload of your own data"),
        DOWNLOADS = ("ダウンロード機能（イメージ、PDF、PowerPoint）", "Downloads (image, PDF, PowerPoint)"),
        AVAILABLE = ("○", "Yes"),
        UNAVAILABLE = ("—", "—"),
        PLAN_CARD = ("ご契約プラン", "Your plan"),
        CURRENT_PLAN = ("現在のプラン: ", "Current plan: "),
        CHANGE_TO = ("プラン変更", "Change plan"),
        CHANGE_LEAD = ("プラン変更後もデータは引き継がれます。", "Your data stays when the plan changes."),
        CHANGED = ("プランを変更しました", "The plan was changed"),
        INDUSTRY_MANUFACTURING = ("製造業", "Manufacturing"),
        INDUSTRY_RETAIL = ("小売・流通業", "Retail and distribution"),
        INDUSTRY_FINANCE = ("金融業", "Finance"),
        INDUSTRY_INSURANCE = ("保険業", "Insurance"),
        INDUSTRY_TELECOM = ("情報通信業", "Telecommunications"),
        INDUSTRY_IT = ("IT・ソフトウェア", "IT and software"),
        INDUSTRY_LOGISTICS = ("運輸・物流業", "Transport and logistics"),
        INDUSTRY_TRAVEL = ("旅行・宿泊業", "Travel and hospitality"),
        INDUSTRY_MEDICAL = ("医療・福祉", "Medical and welfare"),
        INDUSTRY_EDUCATION = ("教育", "Education"),
        INDUSTRY_PUBLIC = ("官公庁・団体", "Public sector"),
        INDUSTRY_SERVICES = ("サービス業", "Services"),
        INDUSTRY_OTHER = ("その他", "Other"),
    }

    pub fn sent_lead(lang: Lang, email: &str) -> String {
        match lang {
            Lang::Ja => format!(
                "{email} 宛に仮登録完了のメールを送信しました。メールに記載のURLから24時間以内に本登録を行ってください。"
            ),
            Lang::En => {
                format!("We sent a mail to {email}. Open its link within 24 hours to confirm the sign-up.")
            }
        }
    }

    pub fn months(lang: Lang, months: u32) -> String {
        match (lang, months) {
            (_, 0) => "—".to_owned(),
            (Lang::Ja, months) => format!("最長{months}ヶ月"),
            (Lang::En, months) => format!("Up to {months} months"),
        }
    }
}

pub mod child_ids {
    use super::*;
    texts! {
        TITLE = ("子ID払出し及び管理", "Child IDs"),
        LEAD = ("子IDは閲覧専用です。レポートの閲覧とダウンロードができ、プラン・グループ・子IDは変更できません。ログインIDは自動で払い出され、パスワード設定用のURLをメールでお送りします。", "Child IDs are view-only: they read and download the reports but change neither the plan, the groups nor the child IDs. The login ID is issued for you; a link to set the password is mailed."),
        COUNT = ("払出し数", "Issued"),
        LOGIN_ID = ("ログインID", "Login ID"),
        NAME = ("氏名", "Name"),
        EMAIL = ("メールアドレス", "Email"),
        STATUS = ("状態", "Status"),
        ACTIONS = ("操作", "Actions"),
        ACTIVE = ("有効", "Active"),
        DISABLED = ("無効", "Disabled"),
        DISABLE = ("無効化", "Disable"),
        ENABLE = ("有効化", "Enable"),
        DELETE = ("削除", "Delete"),
        DELETE_TITLE = ("子IDを削除しますか？", "Delete this child ID?"),
        ISSUE = ("子IDを払い出す", "Issue a child ID"),
        ISSUED = ("子IDを払い出しました。パスワード設定用のURLをメールで送信しました。", "The child ID was issued; the password link was mailed."),
        CHANGED = ("子IDを変更しました", "The child ID was changed"),
        DELETED = ("子IDを削除しました", "The child ID was deleted"),
        NONE = ("子IDはまだありません。", "No child IDs yet."),
    }

    pub fn delete_message(lang: Lang, login_id: &str) -> String {
        match lang {
            Lang::Ja => format!("{login_id} を削除します。元に戻せません。"),
            Lang::En => format!("{login_id} will be deleted. This cannot be undone."),
        }
    }
}

pub mod own_data {
    use super::*;
    texts! {
        TITLE = ("お客さま保有データ アップロード", "Upload your own data"),
        LEAD = ("日付・FD/ND番号またはグループ名・呼数・通話時間(秒、任意)のCSVファイル（Shift_JISまたはUTF-8）。ファイルに含まれる日付のデータは置き換えられます。トラフィック・比較分析のレポートに並べて表示します。", "A CSV file of date, FD/ND number or group name, calls and seconds (optional), in Shift_JIS or UTF-8. The days in the file replace those stored. Traffic and comparison reports show them beside the collected calls."),
        FILE = ("CSVファイル", "CSV file"),
        SENDING = ("送信中", "Sending"),
        PREVIEW = ("内容の確認", "Preview"),
        ROWS = ("行数", "Rows"),
        DAYS = ("置き換える日数", "Days replaced"),
        ENCODING = ("文字コード", "Encoding"),
        DAY = ("日付", "Date"),
        LABEL = ("番号・グループ", "Number or group"),
        CALLS = ("呼数", "Calls"),
        SECONDS = ("通話時間(秒)", "Seconds"),
        ERRORS = ("エラーのある行", "Rows with errors"),
        LINE = ("行", "Line"),
        COLUMN = ("項目", "Column"),
        REASON = ("内容", "Reason"),
        APPLY = ("登録", "Store"),
        APPLIED = ("お客さま保有データを登録しました", "Your data was stored"),
        FIX_FIRST = ("エラーのある行を修正してから、もう一度ファイルを選択してください。", "Fix the rows with errors, then choose the file again."),
    }
}
