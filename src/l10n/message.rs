//! A message ([`Msg`]) in the reader's language. Those a shopper can meet are rendered here;
//! the admin's own in `admin_message`, which the browser loads with the admin's chunk.

use super::locale::{current, Locale};
use crate::domain::msg::Msg;
use crate::tr_in;

/// A message in the page's locale.
pub fn say(msg: &Msg) -> String {
    message(current(), msg)
}

/// A message in `locale`. Those a shopper can meet are rendered here; the admin's own, by
/// the renderer of the admin's chunk (see [`admin_messages`]), so their texts and code stay
/// out of the shoppers' download.
pub fn message(locale: Locale, msg: &Msg) -> String {
    match msg {
        Msg::AssistDisabled => tr_in!(locale, common.msg.login_as_customer_disabled),
        Msg::CustomerNotFound => tr_in!(locale, common.msg.customer_not_found),
        Msg::SensitiveChange => tr_in!(locale, common.msg.sensitive_change_refused),
        Msg::NoAssistanceRunning => tr_in!(locale, common.msg.no_assistance_running),
        Msg::SignInRefused => tr_in!(locale, common.msg.sign_in_refused),
        Msg::SignInBusy => tr_in!(locale, common.msg.sign_in_busy),
        Msg::CustomerSignInNeeded => tr_in!(locale, common.msg.customer_sign_in_needed),
        Msg::CustomerPasswordWrong => tr_in!(locale, common.msg.customer_password_wrong),
        Msg::CurrentPasswordRequired => tr_in!(locale, common.msg.current_password_required),
        Msg::Required => tr_in!(locale, common.msg.required),
        Msg::TooLong { max } => tr_in!(locale, common.msg.too_long, max = max),
        Msg::BadCharacters => tr_in!(locale, common.msg.bad_characters),
        Msg::InvalidEmail => tr_in!(locale, common.msg.invalid_email),
        Msg::PasswordTooShort { min } => tr_in!(locale, common.msg.password_too_short, min = min),
        Msg::PasswordClasses => tr_in!(locale, common.msg.password_classes),
        Msg::PasswordMismatch => tr_in!(locale, common.msg.password_mismatch),
        Msg::SameValueAgain => tr_in!(locale, common.msg.same_value_again),
        Msg::CheckboxValue => tr_in!(locale, common.msg.checkbox_value),
        Msg::FieldsToCorrect => tr_in!(locale, common.msg.fields_to_correct),
        Msg::EmailTaken => tr_in!(locale, common.msg.email_taken),
        Msg::CustomerEmailDuplicate => tr_in!(locale, common.msg.customer_email_duplicate),
        Msg::StoreNotFound => tr_in!(locale, common.msg.store_not_found),
        Msg::CategoryNotFound => tr_in!(locale, common.msg.category_not_found),
        Msg::ProductNotFound => tr_in!(locale, common.msg.product_not_found),
        Msg::QtyRange { min, max } => tr_in!(locale, common.msg.qty_range, min = min, max = max),
        Msg::OutOfStock { name } => tr_in!(locale, common.msg.out_of_stock, name = name),
        Msg::NotEnoughStock { name, available } => {
            tr_in!(locale, common.msg.not_enough_stock, name = name, available = available)
        }
        Msg::ProductUnavailable { name } => tr_in!(locale, common.msg.product_unavailable, name = name),
        Msg::NotInCart => tr_in!(locale, common.msg.not_in_cart),
        Msg::CartEmpty => tr_in!(locale, common.msg.cart_empty),
        Msg::CountryUnknown => tr_in!(locale, common.msg.country_unknown),
        Msg::AddressNotFound => tr_in!(locale, common.msg.address_not_found),
        Msg::OrderNotFound => tr_in!(locale, common.msg.order_not_found),
        Msg::ShippingMethodUnknown => tr_in!(locale, common.msg.shipping_method_unknown),
        Msg::PaymentMethodUnknown => tr_in!(locale, common.msg.payment_method_unknown),
        Msg::CheckoutOutOfDate => tr_in!(locale, common.msg.checkout_out_of_date),
        Msg::PageNotFound => tr_in!(locale, common.msg.page_not_found),
        Msg::PageOutOfDate => tr_in!(locale, common.msg.page_out_of_date),
        Msg::RequestUnreadable { detail } => tr_in!(locale, common.msg.request_unreadable, detail = detail),
        Msg::FieldMissing { name } => tr_in!(locale, common.msg.field_missing, name = name),
        Msg::MethodNotAllowed { detail } => tr_in!(locale, common.msg.method_not_allowed, detail = detail),
        Msg::ServerUnreachable => tr_in!(locale, common.msg.server_unreachable),
        Msg::Internal => tr_in!(locale, common.msg.internal),
        other => admin_message(locale, other),
    }
}

/// The admin's messages: rendered by `pages::admin::messages` (directly on the server; in the
/// browser once the admin's frame has registered it, which it does before anything shows).
static ADMIN_MESSAGES: std::sync::OnceLock<fn(Locale, &Msg) -> String> = std::sync::OnceLock::new();

/// Registers the renderer of the admin's messages (the admin frame calls it).
pub fn admin_messages(render: fn(Locale, &Msg) -> String) {
    let _ = ADMIN_MESSAGES.set(render);
}

fn admin_message(locale: Locale, msg: &Msg) -> String {
    #[cfg(feature = "ssr")]
    {
        super::admin_message::message(locale, msg)
    }
    #[cfg(not(feature = "ssr"))]
    {
        ADMIN_MESSAGES.get().map_or_else(|| msg.code().to_string(), |render| render(locale, msg))
    }
}

impl std::fmt::Display for Msg {
    /// The message in English (logs, the command line, the JSON API's `detail`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&message(Locale::en_US, self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::l10n::locale::LOCALES;

    #[test]
    fn every_message_reads_in_both_locales() {
        for msg in Msg::samples() {
            for l in LOCALES {
                let text = message(l, &msg);
                assert!(!text.trim().is_empty() && text != msg.code(), "{msg:?} in {l:?}: {text}");
                assert!(!text.contains("{{"), "{msg:?} in {l:?}: {text}");
            }
        }
    }
}
