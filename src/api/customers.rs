//! Customers > All Customers: the grid and the edit page's Account Information.

use crate::domain::deferred::Deferred;
use crate::domain::error::AppError;
use crate::domain::forms::CustomerForm;
use crate::domain::grid::{GridPage, GridQuery};
use crate::domain::model::{CustomerDetail, CustomerGroup, CustomerRow, Website};
#[cfg(feature = "ssr")]
use crate::domain::msg::Msg;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Everything the edit page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerEditData {
    pub customer: CustomerDetail,
    pub groups: Vec<CustomerGroup>,
    pub can_edit: bool,
    /// `Allow remote shopping assistance`; `None` while Login as Customer is disabled.
    pub consent: Option<crate::domain::consent::ConsentToggle>,
    /// Whether the `Login as Customer` button shows: the feature is on and the admin's role
    /// allows it for this customer's website.
    pub can_assist: bool,
}

/// Filter choices for the grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridFilters {
    pub websites: Vec<Website>,
    pub groups: Vec<CustomerGroup>,
}

#[server(prefix = "/admin/api", endpoint = "customers_list")]
pub async fn list_customers(#[server(default)] query: GridQuery) -> Result<Deferred<GridPage<CustomerRow>>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::server::guard;
            let admin = guard::admin(Resource::CustomersManage).await?;
            let state = guard::state()?;
            let sites = admin.websites();
            let within = sites
                .as_deref()
                .map(|w| crate::server::grid::Scoped::column(crate::server::db::customers::GRID_SCOPE, w));
            crate::server::db::customers::GRID.page_within(&state.db.pool, query, within).await
        }
        .await,
    )
}

#[server(prefix = "/admin/api", endpoint = "customers_filters")]
pub async fn customer_filters() -> Result<Deferred<GridFilters>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::server::db::{customers, stores};
            use crate::server::guard;
            let admin = guard::admin(Resource::CustomersManage).await?;
            let state = guard::state()?;
            let mut websites = stores::websites(&state.db.pool).await?;
            websites.retain(|w| admin.scope.covers(w.id));
            Ok(GridFilters { websites, groups: customers::groups(&state.db.pool).await? })
        }
        .await,
    )
}

#[server(prefix = "/admin/api", endpoint = "customers_get")]
pub async fn get_customer_edit_data(#[server(default)] id: String) -> Result<Deferred<CustomerEditData>, AppError> {
    Deferred::encode(
        async move {
            use crate::domain::acl::Resource;
            use crate::domain::input::parse_id;
            use crate::server::db::customers;
            use crate::server::guard;
            let admin = guard::admin(Resource::CustomersManage).await?;
            let id = parse_id(&id, Msg::CustomerNotFound)?;
            let state = guard::state()?;
            let customer =
                customers::detail(&state.db.pool, id).await?.ok_or(AppError::not_found(Msg::CustomerNotFound))?;
            admin.ensure_covers(customer.website_id)?;
            let pool = &state.db.pool;
            let enabled = crate::server::assist::enabled(pool).await?;
            let can_assist =
                enabled && crate::server::assist::may_assist(&admin.grant, &admin.scope, customer.website_id);
            let consent = if enabled {
                let (allowed, given_at) = crate::server::actions::consent::holds(pool, customer.id).await?;
                let editable = admin.grant.allows(Resource::CustomersEdit)
                    && admin.grant.allows(Resource::CustomersAssistanceOptIn);
                Some(crate::domain::consent::ConsentToggle { allowed, given_at, editable })
            } else {
                None
            };
            Ok(CustomerEditData {
                customer,
                groups: customers::groups(pool).await?,
                can_edit: admin.grant.allows(Resource::CustomersEdit),
                consent,
                can_assist,
            })
        }
        .await,
    )
}

/// Saves Account Information from the admin. Logged with old and new values. The consent
/// toggle may only be posted by an admin with `Remote shopping assistance opt-in`.
#[server(prefix = "/admin/api", endpoint = "customers_save")]
pub async fn save_customer(#[server(default)] form: CustomerForm) -> Result<(), AppError> {
    use crate::domain::acl::Resource;
    use crate::server::actions::customers::{self as action, CustomerInput};
    use crate::server::guard;
    let admin = guard::admin(Resource::CustomersEdit).await?;
    let input = CustomerInput::try_from(&form)?;
    let state = guard::state()?;
    let mut tx = state.db.begin().await?;
    action::save_customer(&mut tx, &admin.origin(), &input).await?;
    tx.commit().await?;
    Ok(())
}
