//! The mails Madoguchi sends, in Japanese and English. Subjects follow the original sites'
//! wording (the three-mail registration pattern of seed 000, the OTP notice of seed 002).

use super::Mail;
use crate::domain::EmailAddress;
use crate::i18n::Lang;

const BRAND_JA: &str = "[窓口]";
const BRAND_EN: &str = "[Madoguchi]";

fn footer(lang: Lang) -> &'static str {
    lang.pick(
        "\n\n──────────\nこのメールは送信専用メールアドレスから配信されています。ご返信いただいてもお答えできませんのでご了承ください。\nお心当たりのない場合は、本メールを破棄してください。\n窓口 お客様サポートポータル",
        "\n\n──────────\nThis mail was sent from a send-only address; replies are not read.\nIf you did not expect it, please ignore it.\nMadoguchi customer support portal",
    )
}

fn mail(lang: Lang, to: &EmailAddress, subject: String, body: String) -> Mail {
    let brand = lang.pick(BRAND_JA, BRAND_EN);
    Mail {
        to: to.clone(),
        subject: format!("{brand} {subject}"),
        body: format!("{body}{}", footer(lang)),
    }
}

/// (1/3): the confirmation link, valid 24 hours.
pub fn registration_provisional(
    lang: Lang,
    to: &EmailAddress,
    name: &str,
    login_id: &str,
    url: &str,
) -> Mail {
    match lang {
        Lang::Ja => mail(
            lang,
            to,
            format!("(1/3) {name} 様の仮登録が完了しました"),
            format!(
                "{name} 様\n\n窓口にお申し込みいただきましてありがとうございます。\nお申し込みから24時間以内に下記のURLをクリックして、本登録へとお進みください。\n\nログインID: {login_id}\n本登録URL: {url}\n\n※有効期限が過ぎた場合は再度のお申し込みが必要となります。\n※URLが途中で改行されている場合は、ブラウザのアドレス欄にコピーしてアクセスしてください。"
            ),
        ),
        Lang::En => mail(
            lang,
            to,
            format!("(1/3) Provisional registration for {name} completed"),
            format!(
                "Dear {name},\n\nThank you for registering with Madoguchi.\nWithin 24 hours, open the link below to complete your registration.\n\nLogin ID: {login_id}\nConfirmation link: {url}\n\nAfter 24 hours the link expires and you need to register again."
            ),
        ),
    }
}

/// (2/3): the confirmation was received.
pub fn registration_received(lang: Lang, to: &EmailAddress, name: &str, login_id: &str) -> Mail {
    match lang {
        Lang::Ja => mail(
            lang,
            to,
            format!("(2/3) {name} 様の本登録を受け付けました"),
            format!("{name} 様\n\n窓口の本登録のお申し込みを受け付けました。\n\nログインID: {login_id}"),
        ),
        Lang::En => mail(
            lang,
            to,
            format!("(2/3) Registration for {name} received"),
            format!("Dear {name},\n\nWe have received your registration.\n\nLogin ID: {login_id}"),
        ),
    }
}

/// (3/3): the account is ready; carries the login ID.
pub fn registration_ready(
    lang: Lang,
    to: &EmailAddress,
    name: &str,
    login_id: &str,
    sign_in_url: &str,
) -> Mail {
    match lang {
        Lang::Ja => mail(
            lang,
            to,
            format!("(3/3) {name} 様の窓口をご利用する準備が整いました"),
            format!(
                "{name} 様\n\n窓口をご利用する準備が整いました。\nログインに必要な情報をお知らせ致します。\n\nログインID: {login_id}\nログイン: {sign_in_url}\n\nパスワードはお申し込み時に登録されたものをお使いください。"
            ),
        ),
        Lang::En => mail(
            lang,
            to,
            format!("(3/3) Madoguchi is ready for {name}"),
            format!(
                "Dear {name},\n\nYour Madoguchi account is ready.\n\nLogin ID: {login_id}\nSign in: {sign_in_url}\n\nUse the password you chose when registering."
            ),
        ),
    }
}

/// The one-time password of 2-step authentication (seed 002's notice).
pub fn one_time_password(lang: Lang, to: &EmailAddress, code: &str) -> Mail {
    match lang {
        Lang::Ja => mail(
            lang,
            to,
            "ワンタイムパスワード通知".into(),
            format!(
                "ワンタイムパスワードをお知らせします。\nーーーーー\n{code}\nーーーーー\n\n有効期限は30分です。"
            ),
        ),
        Lang::En => mail(
            lang,
            to,
            "Your one-time password".into(),
            format!("Your one-time password is:\n-----\n{code}\n-----\n\nIt is valid for 30 minutes."),
        ),
    }
}

pub fn account_locked(lang: Lang, to: &EmailAddress, name: &str, login_id: &str, minutes: i64) -> Mail {
    match lang {
        Lang::Ja => mail(
            lang,
            to,
            "アカウントがロックされました".into(),
            format!(
                "{name} 様\n\nログインID「{login_id}」で4回続けてパスワードが誤って入力されたため、アカウントをロックしました。\n{minutes}分後に自動的に解除されます。お急ぎの場合は管理者にロック解除をご依頼ください。\n\nお心当たりのない場合は、パスワードの変更をご検討ください。"
            ),
        ),
        Lang::En => mail(
            lang,
            to,
            "Your account has been locked".into(),
            format!(
                "Dear {name},\n\nThe password for login ID \"{login_id}\" was entered wrongly 4 times in a row, so the account is locked.\nIt unlocks by itself in {minutes} minutes; your administrator can unlock it sooner.\n\nIf this was not you, consider changing your password."
            ),
        ),
    }
}

pub fn login_id_reminder(lang: Lang, to: &EmailAddress, login_ids: &[String]) -> Mail {
    let list = login_ids
        .iter()
        .map(|id| format!("・{id}"))
        .collect::<Vec<_>>()
        .join("\n");
    match lang {
        Lang::Ja => mail(
            lang,
            to,
            "ログインIDのお知らせ".into(),
            format!("このメールアドレスで登録されているログインIDをお知らせします。\n\n{list}"),
        ),
        Lang::En => mail(
            lang,
            to,
            "Your login ID".into(),
            format!("These login IDs are registered with this email address:\n\n{list}"),
        ),
    }
}

pub fn password_reset(lang: Lang, to: &EmailAddress, name: &str, login_id: &str, url: &str) -> Mail {
    match lang {
        Lang::Ja => mail(
            lang,
            to,
            "パスワード再設定のご案内".into(),
            format!(
                "{name} 様\n\nログインID「{login_id}」のパスワード再設定を受け付けました。\n1時間以内に下記のURLから新しいパスワードを設定してください（1回のみ有効）。\n\n{url}"
            ),
        ),
        Lang::En => mail(
            lang,
            to,
            "Reset your password".into(),
            format!(
                "Dear {name},\n\nWe received a request to reset the password of login ID \"{login_id}\".\nSet a new password within 1 hour at the link below (it works once).\n\n{url}"
            ),
        ),
    }
}

pub fn invitation(lang: Lang, to: &EmailAddress, name: &str, login_id: &str, url: &str) -> Mail {
    match lang {
        Lang::Ja => mail(
            lang,
            to,
            format!("{name} 様のアカウントが作成されました"),
            format!(
                "{name} 様\n\n窓口のアカウントが作成されました。\n72時間以内に下記のURLからパスワードを設定してください。\n\nログインID: {login_id}\nパスワード設定: {url}"
            ),
        ),
        Lang::En => mail(
            lang,
            to,
            format!("A Madoguchi account was created for {name}"),
            format!(
                "Dear {name},\n\nA Madoguchi account has been created for you.\nSet your password within 72 hours at the link below.\n\nLogin ID: {login_id}\nSet password: {url}"
            ),
        ),
    }
}

pub fn password_changed(lang: Lang, to: &EmailAddress, name: &str, login_id: &str) -> Mail {
    match lang {
        Lang::Ja => mail(
            lang,
            to,
            "パスワードが変更されました".into(),
            format!(
                "{name} 様\n\nログインID「{login_id}」のパスワードが変更されました。他の端末のログイン状態は解除されています。\nお心当たりのない場合は、至急管理者にご連絡ください。"
            ),
        ),
        Lang::En => mail(
            lang,
            to,
            "Your password was changed".into(),
            format!(
                "Dear {name},\n\nThe password of login ID \"{login_id}\" was changed, and other sessions were signed out.\nIf this was not you, contact your administrator at once."
            ),
        ),
    }
}

pub fn two_factor_changed(lang: Lang, to: &EmailAddress, name: &str, enabled: bool) -> Mail {
    let (ja, en) = if enabled {
        (
            "2段階認証のメールアドレスが登録されました",
            "2-step authentication is on",
        )
    } else {
        (
            "2段階認証が解除されました",
            "2-step authentication was turned off",
        )
    };
    match lang {
        Lang::Ja => mail(
            lang,
            to,
            ja.into(),
            format!("{name} 様\n\n{ja}。\nお心当たりのない場合は、至急管理者にご連絡ください。"),
        ),
        Lang::En => mail(
            lang,
            to,
            en.into(),
            format!("Dear {name},\n\n{en}.\nIf this was not you, contact your administrator at once."),
        ),
    }
}
