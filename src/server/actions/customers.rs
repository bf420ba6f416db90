//! Changes to shopper accounts: registration and Account Information on the storefront, and
//! Account Information in the admin.

use super::PasswordHash;
use crate::domain::acl::Resource;
use crate::domain::assist::EndReason;
use crate::domain::error::{AppError, FieldErrors};
use crate::domain::forms::{fields, AccountForm, CustomerForm, RegisterForm};
use crate::domain::input::{parse_id, Email, NewPassword, PersonName};
use crate::domain::model::StoreView;
use crate::domain::msg::Msg;
use crate::server::db::assist::Running;
use crate::server::db::audit::{self, Actor, Entry, Origin};
use crate::server::db::{config as config_repo, customers, Tx};
use crate::server::error::OnUnique;
use serde::Serialize;

#[derive(Serialize)]
struct Snapshot<'a> {
    first_name: &'a str,
    last_name: &'a str,
    email: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_active: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<&'static str>,
}

/// The website an email must be unique on: `Some(website)` under `Per Website` sharing,
/// `None` (every website) under `Global`.
async fn uniqueness_scope(tx: &mut Tx<'_>, website_id: i64) -> Result<Option<i64>, AppError> {
    Ok((!config_repo::accounts_shared_globally(tx).await?).then_some(website_id))
}

/// A valid registration form.
#[derive(Debug)]
pub struct Registration {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Email,
    pub password: NewPassword,
    /// The consent checkbox, when it was shown.
    pub assistance: Option<bool>,
}

impl TryFrom<&RegisterForm> for Registration {
    type Error = AppError;

    fn try_from(form: &RegisterForm) -> Result<Self, AppError> {
        use fields::register as f;
        let mut errors = FieldErrors::default();
        let first_name = errors.check(PersonName::parse(&form.first_name, f::first_name.key));
        let last_name = errors.check(PersonName::parse(&form.last_name, f::last_name.key));
        let email = errors.check(Email::parse(&form.email, f::email.key));
        let password = errors.check(NewPassword::parse(&form.password, f::password.key));
        if password.is_some() && form.password != form.password_confirmation {
            errors.add(f::password_confirmation.key, Msg::SameValueAgain);
        }
        errors.finish()?;
        match (first_name, last_name, email, password) {
            (Some(first_name), Some(last_name), Some(email), Some(password)) => Ok(Registration {
                first_name,
                last_name,
                email,
                password,
                assistance: form.assistance_allowed.map(|c| c.get()),
            }),
            _ => Err(AppError::Internal),
        }
    }
}

/// Creates a shopper account on the store view's website and logs it as the shopper's own act.
#[tracing::instrument(skip_all, fields(store = %view.code), err(level = "warn"))]
pub async fn register(
    tx: &mut Tx<'_>,
    origin_ip: (&str, &str),
    view: &StoreView,
    input: &Registration,
    hash: &PasswordHash,
) -> Result<i64, AppError> {
    let group = customers::default_group(tx).await?;
    let scope = uniqueness_scope(tx, view.website_id).await?;
    if customers::email_taken(tx, &input.email.normalized(), scope, 0).await? {
        return Err(AppError::conflict(fields::register::email.key, Msg::EmailTaken));
    }
    let id = customers::create(
        tx,
        &customers::NewCustomer {
            website_id: view.website_id,
            store_view_id: view.id,
            group_id: group,
            email: input.email.as_str(),
            first_name: input.first_name.as_str(),
            last_name: input.last_name.as_str(),
            password_hash: hash.as_str(),
            assistance_allowed: false,
        },
    )
    .await
    .on_unique(fields::register::email.key, Msg::EmailTaken)?;
    let origin =
        Origin { actor: Actor::Customer { id }, ip: origin_ip.0.to_string(), user_agent: origin_ip.1.to_string() };
    let new = Snapshot {
        first_name: input.first_name.as_str(),
        last_name: input.last_name.as_str(),
        email: input.email.as_str(),
        group_id: Some(group),
        is_active: Some(true),
        password: None,
    };
    let entry =
        Entry::change(audit::group::CUSTOMERS, "Register customer account", "customer", id, None::<&()>, Some(&new));
    audit::write(tx, &origin, entry).await?;
    if input.assistance == Some(true) {
        super::consent::set(tx, &origin, id, true).await?;
    }
    Ok(id)
}

/// A valid Account Information form from the storefront.
#[derive(Debug)]
pub struct AccountChange {
    pub first_name: PersonName,
    pub last_name: PersonName,
    /// A new email, when `Change Email` is ticked.
    pub email: Option<Email>,
    /// A new password, when `Change Password` is ticked.
    pub password: Option<NewPassword>,
    /// The current password, needed for either change; the caller checks it before the
    /// transaction.
    pub current_password: Option<String>,
    /// The consent checkbox, when it was shown.
    pub assistance: Option<bool>,
}

impl AccountChange {
    /// Changes the email or the password (restricted while an admin assists).
    pub fn is_sensitive(&self) -> bool {
        self.email.is_some() || self.password.is_some()
    }
}

impl TryFrom<&AccountForm> for AccountChange {
    type Error = AppError;

    fn try_from(form: &AccountForm) -> Result<Self, AppError> {
        use fields::account as f;
        let mut errors = FieldErrors::default();
        let first_name = errors.check(PersonName::parse(&form.first_name, f::first_name.key));
        let last_name = errors.check(PersonName::parse(&form.last_name, f::last_name.key));
        let email = if form.change_email.get() {
            errors.check(Email::parse(form.email.as_deref().unwrap_or_default(), f::email.key))
        } else {
            None
        };
        let password = if form.change_password.get() {
            let raw = form.password.as_deref().unwrap_or_default();
            let parsed = errors.check(NewPassword::parse(raw, f::password.key));
            if parsed.is_some() && form.password_confirmation.as_deref() != Some(raw) {
                errors.add(f::password_confirmation.key, Msg::SameValueAgain);
            }
            parsed
        } else {
            None
        };
        let sensitive = form.change_email.get() || form.change_password.get();
        let current_password = form.current_password.clone().filter(|p| sensitive && !p.is_empty());
        if sensitive && current_password.is_none() {
            errors.add(f::current_password.key, Msg::CurrentPasswordRequired);
        }
        errors.finish()?;
        match (first_name, last_name) {
            (Some(first_name), Some(last_name)) => Ok(AccountChange {
                first_name,
                last_name,
                email,
                password,
                current_password,
                assistance: form.assistance_allowed.map(|c| c.get()),
            }),
            _ => Err(AppError::Internal),
        }
    }
}

/// Refuses a sensitive change (email, password) made while an admin assists, when `Restrict
/// Sensitive Account Changes` is Yes. The storefront asks this before it checks the current
/// password; [`save_account`] asks again inside its transaction.
pub async fn ensure_not_restricted(tx: &mut Tx<'_>, origin: &Origin, input: &AccountChange) -> Result<(), AppError> {
    let assisted = matches!(origin.actor, Actor::AdminAsCustomer { .. });
    if assisted && input.is_sensitive() && crate::server::assist::sensitive_restricted(tx).await? {
        return Err(AppError::forbidden(Msg::SensitiveChange));
    }
    Ok(())
}

/// Saves a shopper's Account Information (their own, or an assisting admin's for them) and
/// logs it. `hash` is the new password's, made before the transaction; a new password ends
/// the shopper's other sessions. Returns the session epoch now in force.
#[tracing::instrument(skip_all, fields(customer = customer_id), err(level = "warn"))]
pub async fn save_account(
    tx: &mut Tx<'_>,
    origin: &Origin,
    customer_id: i64,
    input: &AccountChange,
    hash: Option<&PasswordHash>,
) -> Result<i64, AppError> {
    ensure_not_restricted(tx, origin, input).await?;
    let assisted = matches!(origin.actor, Actor::AdminAsCustomer { .. });
    let before =
        customers::detail(&mut **tx, customer_id).await?.ok_or(AppError::unauthenticated(Msg::CustomerSignInNeeded))?;
    let email = input.email.as_ref().map_or(before.email.as_str(), Email::as_str);
    if let Some(new_email) = &input.email {
        let scope = uniqueness_scope(tx, before.website_id).await?;
        if customers::email_taken(tx, &new_email.normalized(), scope, customer_id).await? {
            return Err(AppError::conflict(fields::account::email.key, Msg::CustomerEmailDuplicate));
        }
    }
    let epoch = customers::update_account(
        tx,
        customer_id,
        input.first_name.as_str(),
        input.last_name.as_str(),
        email,
        hash.map(PasswordHash::as_str),
    )
    .await
    .on_unique(fields::account::email.key, Msg::CustomerEmailDuplicate)?;
    let old = Snapshot {
        first_name: &before.first_name,
        last_name: &before.last_name,
        email: &before.email,
        group_id: None,
        is_active: None,
        password: None,
    };
    let new = Snapshot {
        first_name: input.first_name.as_str(),
        last_name: input.last_name.as_str(),
        email,
        group_id: None,
        is_active: None,
        password: hash.map(|_| "changed"),
    };
    let entry = Entry::change(
        audit::group::CUSTOMERS,
        "Save account information",
        "customer",
        customer_id,
        Some(&old),
        Some(&new),
    );
    audit::write(tx, origin, entry).await?;
    if let Some(allowed) = input.assistance {
        super::consent::set(tx, origin, customer_id, allowed).await?;
    }
    // The shopper changing their password or email in their own browser ends any assistance.
    let own_change = match (&input.password, &input.email) {
        _ if assisted => None,
        (Some(_), _) => Some(EndReason::CustomerPasswordChanged),
        (None, Some(e)) if e.as_str() != before.email => Some(EndReason::CustomerEmailChanged),
        _ => None,
    };
    if let Some(reason) = own_change {
        crate::server::assist::end_running(tx, origin, Running::OfCustomer(customer_id), reason).await?;
    }
    Ok(epoch)
}

/// A valid Account Information form from the admin.
#[derive(Debug)]
pub struct CustomerInput {
    pub id: i64,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Email,
    pub group_id: i64,
    pub is_active: bool,
    /// `Allow remote shopping assistance`, when posted (the caller checks the admin may).
    pub assistance: Option<bool>,
}

impl TryFrom<&CustomerForm> for CustomerInput {
    type Error = AppError;

    fn try_from(form: &CustomerForm) -> Result<Self, AppError> {
        use fields::customer as f;
        let id = parse_id(&form.id, Msg::CustomerNotFound)?;
        let mut errors = FieldErrors::default();
        let first_name = errors.check(PersonName::parse(&form.first_name, f::first_name.key));
        let last_name = errors.check(PersonName::parse(&form.last_name, f::last_name.key));
        let email = errors.check(Email::parse(&form.email, f::email.key));
        let group_id = form.group_id.trim().parse::<i64>().ok();
        if group_id.is_none() {
            errors.add(f::group_id.key, Msg::GroupRequired);
        }
        errors.finish()?;
        match (first_name, last_name, email, group_id) {
            (Some(first_name), Some(last_name), Some(email), Some(group_id)) => Ok(CustomerInput {
                id,
                first_name,
                last_name,
                email,
                group_id,
                is_active: form.is_active.get(),
                assistance: form.assistance_allowed.map(|c| c.get()),
            }),
            _ => Err(AppError::Internal),
        }
    }
}

/// Saves Account Information from the admin, logged with old and new values.
#[tracing::instrument(skip_all, fields(customer = input.id), err(level = "warn"))]
pub async fn save_customer(tx: &mut Tx<'_>, origin: &Origin, input: &CustomerInput) -> Result<(), AppError> {
    let me = super::Rights::of(tx, origin).await?;
    me.require(Resource::CustomersEdit)?;
    if input.assistance.is_some() && !me.grant.allows(Resource::CustomersAssistanceOptIn) {
        return Err(AppError::forbidden(Msg::OptInForbidden));
    }
    let before = customers::detail(&mut **tx, input.id).await?.ok_or(AppError::not_found(Msg::CustomerNotFound))?;
    me.scope.ensure_covers(before.website_id)?;
    if !customers::group_exists(tx, input.group_id).await? {
        return Err(AppError::field(fields::customer::group_id.key, Msg::GroupRequired));
    }
    let scope = uniqueness_scope(tx, before.website_id).await?;
    if customers::email_taken(tx, &input.email.normalized(), scope, input.id).await? {
        return Err(AppError::conflict(fields::customer::email.key, Msg::CustomerEmailDuplicate));
    }
    let edit = customers::AdminEdit {
        first_name: input.first_name.as_str(),
        last_name: input.last_name.as_str(),
        email: input.email.as_str(),
        group_id: input.group_id,
        is_active: input.is_active,
    };
    customers::admin_update(tx, input.id, &edit)
        .await
        .on_unique(fields::customer::email.key, Msg::CustomerEmailDuplicate)?;
    let old = Snapshot {
        first_name: &before.first_name,
        last_name: &before.last_name,
        email: &before.email,
        group_id: Some(before.group_id),
        is_active: Some(before.is_active),
        password: None,
    };
    let new = Snapshot {
        first_name: edit.first_name,
        last_name: edit.last_name,
        email: edit.email,
        group_id: Some(edit.group_id),
        is_active: Some(edit.is_active),
        password: None,
    };
    let entry = Entry::change(audit::group::CUSTOMERS, "Save customer", "customer", input.id, Some(&old), Some(&new));
    audit::write(tx, origin, entry).await?;
    if before.is_active && !edit.is_active {
        crate::server::assist::end_running(tx, origin, Running::OfCustomer(input.id), EndReason::CustomerInactive)
            .await?;
    }
    if let Some(allowed) = input.assistance {
        super::consent::set(tx, origin, input.id, allowed).await?;
    }
    Ok(())
}

/// `Delete Account`, asked for by the shopper (their password was checked before): refused
/// while an admin assists with `Restrict Sensitive Account Changes` = Yes; otherwise ends any
/// assistance session, erases the account ([`customers::erase`]) and logs it by id only.
#[tracing::instrument(skip_all, fields(customer = customer_id), err(level = "warn"))]
pub async fn delete_account(tx: &mut Tx<'_>, origin: &Origin, customer_id: i64) -> Result<(), AppError> {
    if matches!(origin.actor, Actor::AdminAsCustomer { .. }) && crate::server::assist::sensitive_restricted(tx).await? {
        return Err(AppError::forbidden(Msg::SensitiveChange));
    }
    crate::server::assist::end_running(
        tx,
        origin,
        crate::server::db::assist::Running::OfCustomer(customer_id),
        EndReason::CustomerInactive,
    )
    .await?;
    customers::erase(tx, customer_id).await?;
    #[derive(serde::Serialize)]
    struct Erased {
        deleted: bool,
    }
    let entry = Entry::change(
        audit::group::CUSTOMERS,
        "Delete customer account",
        "customer",
        customer_id,
        None::<&Erased>,
        Some(&Erased { deleted: true }),
    );
    audit::write(tx, origin, entry).await?;
    Ok(())
}
